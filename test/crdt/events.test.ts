import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Replicated } from '../../src/index.js';
import { runs } from '../helpers/property.js';
import { adapters } from './adapters.js';
import { play, scenario } from './network.js';

/** Counts the change events a replica fires during `f`. */
function events(r: Replicated, f: () => void): { origin: string }[] {
  const seen: { origin: string }[] = [];
  const off = r.on('change', (e) => seen.push(e));
  f();
  off();
  return seen;
}

describe.each(adapters)('$name change events', (adapter) => {
  it('one local event exactly when a local operation changes the state; none for a no-op', () => {
    fc.assert(
      fc.property(fc.array(adapter.op, { maxLength: 30 }), (ops) => {
        const r = adapter.create('a', () => 1_700_000_000_000);
        for (const op of ops) {
          const before = Buffer.from(r.encode()).toString('hex');
          const seen = events(r, () => adapter.perform(r, op));
          const changed = Buffer.from(r.encode()).toString('hex') !== before;
          expect(seen.length).toBe(changed ? 1 : 0);
          for (const e of seen) expect(e.origin).toBe('local');
        }
      }),
      runs(100),
    );
  });

  it('remote events exactly when apply changes the state; never for a duplicate', () => {
    fc.assert(
      fc.property(scenario(adapter, 2, 3, 40), ({ replicas, actions }) => {
        const [a, b] = play(adapter, replicas, actions).replicas;
        const update = b!.encode(a!.version());
        for (let attempt = 0; attempt < 2; attempt++) {
          const before = Buffer.from(a!.encode()).toString('hex');
          const seen = events(a!, () => a!.apply(update));
          const changed = Buffer.from(a!.encode()).toString('hex') !== before;
          expect(seen.length > 0).toBe(changed);
          if (attempt === 1) expect(seen).toEqual([]);
          for (const e of seen) expect(e.origin).toBe('remote');
        }
      }),
      runs(100),
    );
  });

  it('a remote event describes exactly what became visible: added and removed elements, changed keys', () => {
    fc.assert(
      fc.property(scenario(adapter, 2, 3, 40), ({ replicas, actions }) => {
        const [a, b] = play(adapter, replicas, actions).replicas;
        // Sets show { values, size } and maps { entries, size }; other types are not checked here.
        const before = Object(adapter.value(a!)) as { values?: unknown[]; entries?: [string, unknown][] };
        const seen = events(a!, () => a!.apply(b!.encode(a!.version()))) as unknown as {
          added?: unknown[];
          removed?: unknown[];
          keys?: string[];
        }[];
        const after = Object(adapter.value(a!)) as typeof before;
        const text = (v: unknown) => JSON.stringify(v);
        if (Array.isArray(before.values) && Array.isArray(after.values)) {
          const was = new Set(before.values.map(text));
          const now = new Set(after.values.map(text));
          const added = seen.flatMap((e) => e.added ?? []).map(text);
          const removed = seen.flatMap((e) => e.removed ?? []).map(text);
          expect(new Set(added)).toEqual(new Set([...now].filter((v) => !was.has(v))));
          expect(new Set(removed)).toEqual(new Set([...was].filter((v) => !now.has(v))));
        }
        if (Array.isArray(before.entries) && Array.isArray(after.entries)) {
          const was = new Map(before.entries.map(([k, v]) => [k, text(v)]));
          const now = new Map(after.entries.map(([k, v]) => [k, text(v)]));
          const changed = [...new Set([...was.keys(), ...now.keys()])].filter((k) => was.get(k) !== now.get(k));
          expect(new Set(seen.flatMap((e) => e.keys ?? []))).toEqual(new Set(changed));
        }
      }),
      runs(150),
    );
  });

  it('a throwing listener neither stops the others nor undoes the change', async () => {
    const r = adapter.create('a', () => 1_700_000_000_000);
    const thrown: unknown[] = [];
    const onError = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onError);
    try {
      let calls = 0;
      r.on('change', () => {
        throw new Error('listener bug');
      });
      r.on('change', () => calls++);
      for (let seed = 0; calls === 0; seed++) adapter.perform(r, fc.sample(adapter.op, { seed, numRuns: 1 })[0]!);
      expect(calls).toBe(1);
      expect(Object.keys(r.version()).length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(thrown).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('unsubscribing stops events; unknown events and non-functions are refused', () => {
    const r = adapter.create('a', () => 0);
    expect(() => r.on('update' as 'change', () => {})).toThrow(TypeError);
    expect(() => r.on('change', 42 as unknown as () => void)).toThrow(TypeError);
  });
});
