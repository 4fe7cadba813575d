/**
 * Durability: the server runs in a child process (the `tandem serve` command line) while
 * clients edit; it is killed with SIGKILL at a random moment, restarted on the same data
 * directory, and every change it acknowledged must be there. The clients then resubscribe
 * with what they hold, as after any disconnect, and everyone converges.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { AWSet, PNCounter, Text } from '../../src/crdt/index.js';
import { SyncClient, webSocketTransport, type WebSocketConstructor } from '../../src/sync/index.js';
import { RawClient, SyncedDoc, covers, until } from './raw-client.js';

const LONG = process.env.TANDEM_LONG === '1';
const root = new URL('../..', import.meta.url).pathname;

const children: ChildProcess[] = [];
const dirs: string[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const raw of clients.splice(0)) await raw.close();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts `tandem serve` on `port` (default: a free one); resolves with its WebSocket URL once it listens. */
async function serve(dataDir: string, port = 0): Promise<{ child: ChildProcess; ws: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli.ts'), 'serve', '--port', String(port), '--data', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return { child, ws: `${url.replace('http', 'ws')}/sync` };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('SyncServer durability', () => {
  it('loses no acknowledged change when killed with SIGKILL mid-run, and clients resync after the restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-durable-'));
    dirs.push(dataDir);
    const rand = random(Number(process.env.FC_SEED ?? 7));
    const rounds = LONG ? 5 : 2;
    // Tokens (text) and items (set) whose update was acknowledged, per round.
    const ackedTokens = new Set<string>();
    const ackedItems = new Set<string>();
    const names = ['p0', 'p1', 'p2', 'p3'];
    const texts = names.map((n) => new Text({ replica: n }));
    const sets = names.map((n) => new AWSet<string>({ replica: n }));

    for (let round = 0; round < rounds; round++) {
      const { child, ws } = await serve(dataDir);
      const docs = await Promise.all(
        names.map(async (name, i) => {
          const raw = await RawClient.connect(ws, name);
          clients.push(raw);
          const text = new SyncedDoc(raw, 'journal', 'text', texts[i]!);
          const set = new SyncedDoc(raw, 'items', 'aw-set', sets[i]!);
          // Resubscribing sends whatever the server lacks, including edits it never acknowledged.
          await text.subscribe();
          await set.subscribe();
          return { text, set };
        }),
      );
      // Every client now holds everything acknowledged in earlier rounds, as the restarted
      // server sent it back.
      for (const { text, set } of docs) {
        for (const token of ackedTokens) expect(text.replica.toString()).toContain(token);
        for (const item of ackedItems) expect(set.replica.has(item)).toBe(true);
      }
      // Edit until SIGKILL, remembering which edits were acknowledged before it.
      const pending = new Map<string, string>();
      let alive = true;
      docs.forEach(({ text, set }, i) => {
        text.raw.on((m) => {
          if (!alive || m.kind !== 'ack') return;
          const token = pending.get(`${m.doc}/${i}/${m.seq}`);
          if (token !== undefined) (m.doc === 'journal' ? ackedTokens : ackedItems).add(token);
        });
        void (async () => {
          for (let n = 0; alive; n++) {
            const token = `<${names[i]}-${round}-${n}>`;
            const seq = text.edit((t) => t.insert(0, token));
            pending.set(`journal/${i}/${seq}`, token);
            const itemSeq = set.edit((s) => s.add(token));
            pending.set(`items/${i}/${itemSeq}`, token);
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
      });
      await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 700)));
      const acksBefore = ackedTokens.size;
      child.kill('SIGKILL');
      alive = false;
      await new Promise((r) => child.once('exit', r));
      expect(ackedTokens.size).toBeGreaterThan(0);
      expect(acksBefore).toBeLessThanOrEqual(ackedTokens.size);
      for (const raw of clients.splice(0)) await raw.close();
    }

    // A last restart: a fresh observer sees every acknowledged change, and once the clients
    // resync, everyone holds the same documents, unacknowledged edits included.
    const { ws } = await serve(dataDir);
    const observerRaw = await RawClient.connect(ws, 'observer');
    clients.push(observerRaw);
    const journal = new SyncedDoc(observerRaw, 'journal', 'text', new Text({ replica: 'observer' }));
    const items = new SyncedDoc(observerRaw, 'items', 'aw-set', new AWSet<string>({ replica: 'observer' }));
    await journal.subscribe();
    await items.subscribe();
    for (const token of ackedTokens) expect(journal.replica.toString()).toContain(token);
    for (const item of ackedItems) expect(items.replica.has(item)).toBe(true);

    const docs = await Promise.all(
      names.map(async (name, i) => {
        const raw = await RawClient.connect(ws, name);
        clients.push(raw);
        const text = new SyncedDoc(raw, 'journal', 'text', texts[i]!);
        await text.subscribe();
        await text.settled();
        return text;
      }),
    );
    const final = await (async () => {
      const check = new SyncedDoc(await RawClient.connect(ws, 'final'), 'journal', 'text', new Text({ replica: 'final' }));
      clients.push(check.raw);
      await check.subscribe();
      return check.replica;
    })();
    await until(() => docs.every((d) => covers(d.replica.version(), final.version())), 'the clients to converge');
    for (const d of docs) expect(d.replica.toString()).toBe(final.toString());
    for (const t of texts) expect(covers(final.version(), t.version())).toBe(true);
  }, 90_000);

  it('SyncClients reconnect on their own to a server restarted after SIGKILL and lose nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-durable-'));
    dirs.push(dataDir);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const first = await serve(dataDir, port);
    const transport = () => webSocketTransport(first.ws, WebSocket as unknown as WebSocketConstructor);
    const clientsHere = [0, 1, 2].map(() => new SyncClient({ transports: [transport()], backoff: { base: 20, cap: 200 } }));
    try {
      const counters = await Promise.all(clientsHere.map((c) => c.open('count', PNCounter)));
      counters.forEach((c, i) => c.increment(i + 1));
      await Promise.all(clientsHere.map((c) => c.synced()));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      // While the server is down, every client keeps editing.
      counters.forEach((c) => c.increment(10));
      await serve(dataDir, port);
      await Promise.all(clientsHere.map((c) => c.synced()));
      await until(() => counters.every((c) => c.value === 36), 'every counter to reach 1 + 2 + 3 + 3 × 10', 20_000);
    } finally {
      await Promise.all(clientsHere.map((c) => c.close()));
    }
  }, 60_000);

  it('tandem serve answers /healthz and closes gracefully on SIGTERM, keeping what it acknowledged', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-durable-'));
    dirs.push(dataDir);
    const { child, ws } = await serve(dataDir);
    const http = ws.replace(/^ws/, 'http').replace(/\/sync$/, '');
    expect(await (await fetch(`${http}/healthz`)).json()).toMatchObject({ status: 'ok' });
    const raw = await RawClient.connect(ws, 'writer');
    clients.push(raw);
    const doc = new SyncedDoc(raw, 'notes', 'text', new Text({ replica: 'writer' }));
    await doc.subscribe();
    doc.edit((t) => t.insert(0, 'kept'));
    await doc.settled();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const again = await serve(dataDir);
    const reader = await RawClient.connect(again.ws, 'reader');
    clients.push(reader);
    const copy = new SyncedDoc(reader, 'notes', 'text', new Text({ replica: 'reader' }));
    await copy.subscribe();
    expect(copy.replica.toString()).toBe('kept');
  }, 60_000);
});
