/**
 * The WebSocket and SSE + POST transports end to end: a node:http server in the test
 * speaks the wire the Node server speaks (README.md, "Client"), in front of a SyncHub.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { PNCounter, Text } from '../../../src/crdt/index.js';
import { SyncClient } from '../../../src/sync/client.js';
import { SyncHub } from '../../../src/sync/hub.js';
import { splitRecords } from '../../../src/sync/sse-transport.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { MemoryStore } from '../../../src/sync/store.js';
import type { WebSocketConstructor } from '../../../src/sync/websocket-transport.js';
import { eventually } from './harness.js';

interface TestServer {
  readonly base: string;
  readonly hub: SyncHub;
  /** SSE streams opened so far. */
  streams: number;
  /** WebSocket connections opened so far. */
  sockets: number;
  close(): Promise<void>;
}

async function serve(options: { websocket: boolean }): Promise<TestServer> {
  const hub = new SyncHub({ store: new MemoryStore() });
  const sessions = new Map<string, { receive(frame: Uint8Array): void }>();
  let next = 0;
  const state = { streams: 0, sockets: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sync/sse') {
      state.streams++;
      const id = `s${++next}`;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(`event: session\ndata: ${id}\n\n`);
      const connection = hub.connect({
        send: (frame) => res.write(`data: ${Buffer.from(frame).toString('base64')}\n\n`),
        close: () => res.end(),
      });
      sessions.set(id, connection);
      req.on('close', () => {
        sessions.delete(id);
        connection.closed();
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/sync/post') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const session = sessions.get(url.searchParams.get('session') ?? '');
        if (session === undefined) {
          res.writeHead(404).end();
          return;
        }
        for (const frame of splitRecords(new Uint8Array(Buffer.concat(chunks)))) session.receive(frame.slice());
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  const wss = options.websocket ? new WebSocketServer({ server, path: '/sync' }) : undefined;
  wss?.on('connection', (socket) => {
    state.sockets++;
    const connection = hub.connect({ send: (frame) => socket.send(frame), close: () => socket.close() });
    socket.on('message', (data: Buffer) => connection.receive(new Uint8Array(data)));
    socket.on('close', () => connection.closed());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const result: TestServer = {
    base: `http://127.0.0.1:${port}`,
    hub,
    get streams() {
      return state.streams;
    },
    get sockets() {
      return state.sockets;
    },
    async close() {
      wss?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await hub.close();
    },
  };
  return result;
}

let server: TestServer | undefined;
const clients: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

function client(options: ConstructorParameters<typeof SyncClient>[0]): SyncClient {
  const c = new SyncClient({ storage: new MemoryStorage(), backoff: { base: 10, cap: 50 }, ...options });
  clients.push(c);
  return c;
}

describe('transports over a real server', () => {
  it('SSE + POST: two clients converge, frames batched into POSTs in order', async () => {
    server = await serve({ websocket: false });
    const a = client({ url: server.base });
    const b = client({ url: server.base });
    expect(a.transport).toBe('sse');
    const ta = await a.open('notes', Text);
    const tb = await b.open('notes', Text);
    for (let i = 0; i < 20; i++) ta.insert(ta.length, String(i % 10));
    tb.insert(0, '>');
    await Promise.all([a.synced(), b.synced()]);
    await Promise.all([a.synced(), b.synced()]);
    expect(ta.toString()).toBe(tb.toString());
    // Both typed at the start of an empty text: the replica ids decide which run comes first.
    expect(['>01234567890123456789', '01234567890123456789>']).toContain(ta.toString());
  });

  it('WebSocket (the ws package passed in): two clients converge on a counter', async () => {
    server = await serve({ websocket: true });
    const ws = WebSocket as unknown as WebSocketConstructor;
    const a = client({ url: server.base.replace('http', 'ws'), WebSocket: ws });
    const b = client({ url: server.base.replace('http', 'ws'), WebSocket: ws });
    expect(a.transport).toBe('websocket');
    const ca = await a.open('count', PNCounter);
    const cb = await b.open('count', PNCounter);
    ca.increment(2);
    cb.increment(3);
    await Promise.all([a.synced(), b.synced()]);
    await Promise.all([a.synced(), b.synced()]);
    expect([ca.value, cb.value]).toEqual([5, 5]);
    expect(server.sockets).toBe(2);
    expect(server.streams).toBe(0);
  });

  it('falls back to SSE when the WebSocket cannot connect, then syncs', async () => {
    server = await serve({ websocket: false });
    const ws = WebSocket as unknown as WebSocketConstructor;
    const a = client({ url: server.base, WebSocket: ws, fallbackAfter: 2 });
    expect(a.transport).toBe('websocket');
    const text = await a.open('notes', Text);
    text.insert(0, 'through SSE');
    await a.synced();
    expect(a.transport).toBe('sse');
    const b = client({ url: server.base });
    expect((await b.open('notes', Text)).toString()).toBe('through SSE');
  });

  it('SSE: reconnects after the server drops the stream and resends what was not acknowledged', async () => {
    server = await serve({ websocket: false });
    const a = client({ url: server.base });
    const text = await a.open('notes', Text);
    text.insert(0, 'before');
    await a.synced();
    const streams = server.streams;
    for (const session of [...server.hub.sessions]) session.shutdown();
    text.insert(6, ' after');
    await eventually(() => server!.streams > streams);
    await a.synced();
    const b = client({ url: server.base });
    expect((await b.open('notes', Text)).toString()).toBe('before after');
  });
});
