/**
 * ShareDB integration: a real ShareDB backend (in-memory database, same process) with
 * both Tandem types registered, two clients editing one document concurrently, and both
 * converging to the server's snapshot.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { richTextType, textType, type Component, type ShareDBType } from '../../src/ot/index.js';

/** The parts of sharedb's untyped API this test uses. */
interface ShareDoc {
  data: unknown;
  version: number | null;
  fetch(callback: (error?: Error) => void): void;
  create(data: unknown, type: string, callback: (error?: Error) => void): void;
  subscribe(callback: (error?: Error) => void): void;
  submitOp(op: unknown, callback: (error?: Error) => void): void;
  whenNothingPending(callback: () => void): void;
}
interface Connection {
  get(collection: string, id: string): ShareDoc;
}
interface Backend {
  connect(): Connection;
  close(callback: () => void): void;
}
interface ShareDBModule {
  new (): Backend;
  types: { register(type: object): void };
}

const ShareDB = createRequire(import.meta.url)('sharedb') as ShareDBModule;

/** Transforms ShareDB asked of each type: concurrency must actually have happened. */
const transforms = new Map<string, number>();
for (const type of [textType, richTextType] as ShareDBType<unknown, readonly Component[]>[]) {
  ShareDB.types.register({
    ...type,
    transform(op: readonly Component[], other: readonly Component[], side: 'left' | 'right') {
      transforms.set(type.name, (transforms.get(type.name) ?? 0) + 1);
      return type.transform(op, other, side);
    },
  });
}

function call(run: (callback: (error?: Error) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
}

/** A small deterministic generator (mulberry32), so every run submits the same ops. */
function prng(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A random op over a document of `length` code units (ASCII text, so any cut is safe). */
function randomOp(random: (n: number) => number, length: number, rich: boolean): Component[] {
  const at = random(length + 1);
  const op: Component[] = at > 0 ? [{ retain: at }] : [];
  const choice = random(3);
  if (choice === 0 || length === at) {
    op.push(rich && random(2) === 0 ? { insert: `w${random(100)}`, attributes: { bold: true } } : { insert: `w${random(100)}` });
  } else if (choice === 1) {
    op.push({ delete: 1 + random(Math.min(5, length - at)) });
  } else {
    const n = 1 + random(length - at);
    op.push(rich ? { retain: n, attributes: { italic: random(2) === 0 ? true : null } } : { retain: n });
  }
  return op;
}

function lengthOf(data: unknown): number {
  return typeof data === 'string' ? data.length : (data as { insert: string }[]).reduce((n, run) => n + run.insert.length, 0);
}

describe.each([
  { type: textType as ShareDBType<unknown, readonly Component[]>, initial: 'hello world' as unknown, rich: false },
  { type: richTextType as ShareDBType<unknown, readonly Component[]>, initial: [{ insert: 'hello ' }, { insert: 'world', attributes: { bold: true } }], rich: true },
])('ShareDB with $type.name', ({ type, initial, rich }) => {
  it('two clients submitting concurrent ops converge to the server snapshot', async () => {
    const backend = new ShareDB();
    const [alice, bob] = [backend.connect(), backend.connect()];
    const a = alice.get('docs', 'd');
    const b = bob.get('docs', 'd');
    await call((cb) => a.create(initial, type.name, cb));
    await call((cb) => a.subscribe(cb));
    await call((cb) => b.subscribe(cb));
    const random = prng(rich ? 7 : 3);
    for (let round = 0; round < 30; round++) {
      // Both submit before either hears of the other: ShareDB sends on the next tick.
      const submitted: Promise<void>[] = [];
      for (const doc of [a, b]) {
        for (let k = random(3); k >= 0; k--) {
          const op = randomOp(random, lengthOf(doc.data), rich);
          submitted.push(call((cb) => doc.submitOp(op, cb)));
        }
      }
      await Promise.all(submitted);
      await Promise.all([a, b].map((doc) => new Promise<void>((resolve) => doc.whenNothingPending(resolve))));
      const server = backend.connect().get('docs', 'd');
      await call((cb) => server.fetch(cb));
      // Each client has its own ops acknowledged; wait (boundedly) for the other's to arrive.
      for (let tries = 0; tries < 100 && (a.version !== server.version || b.version !== server.version); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect([a.version, b.version]).toEqual([server.version, server.version]);
      expect(a.data).toEqual(server.data);
      expect(b.data).toEqual(server.data);
    }
    expect(transforms.get(type.name)).toBeGreaterThan(30);
    expect(lengthOf(a.data)).toBeGreaterThan(0);
    expect(a.data).not.toEqual(type.create(initial));
    await new Promise<void>((resolve) => backend.close(resolve));
  });
});
