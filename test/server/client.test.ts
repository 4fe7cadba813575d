/**
 * The real `SyncClient` (src/sync) against the real `SyncServer` on loopback, over both
 * transports: WebSocket (the `ws` package's constructor) and SSE + POST (Node's fetch).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { PNCounter, Text } from '../../src/crdt/index.js';
import { SyncServer } from '../../src/server/index.js';
import { SyncClient, sseTransport, webSocketTransport, type WebSocketConstructor } from '../../src/sync/index.js';
import { until } from './raw-client.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;
const backoff = { base: 20, cap: 200 };

async function listen(dataDir: string, port = 0): Promise<{ server: SyncServer; url: string; port: number }> {
  const server = new SyncServer({ dataDir, heartbeat: 1000 });
  const address = await server.listen({ port });
  cleanup.push(() => server.close());
  return { server, url: address.url, port: address.port };
}

function client(options: ConstructorParameters<typeof SyncClient>[0]): SyncClient {
  const c = new SyncClient({ backoff, ...options });
  cleanup.push(() => c.close());
  return c;
}

describe('SyncClient against SyncServer', () => {
  it('a WebSocket client and an SSE client edit one Text and converge', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-client-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const { url } = await listen(dataDir);
    const viaSocket = client({ transports: [webSocketTransport(`${url.replace('http', 'ws')}/sync`, NodeWebSocket)] });
    const viaEvents = client({ transports: [sseTransport(url, fetch)] });
    const a = await viaSocket.open('doc', Text);
    const b = await viaEvents.open('doc', Text);
    a.insert(0, 'socket ');
    b.insert(0, 'events ');
    await viaSocket.synced();
    await viaEvents.synced();
    await until(() => a.toString() === b.toString() && a.length === 14, 'the two clients to converge');
    expect(viaEvents.transport).toBe('sse');
    expect(viaSocket.transport).toBe('websocket');
  });

  it('clients reconnect on their own after the server restarts, and send what they made offline', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-client-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const first = await listen(dataDir);
    const ws = `${first.url.replace('http', 'ws')}/sync`;
    const one = client({ transports: [webSocketTransport(ws, NodeWebSocket)] });
    const two = client({ transports: [webSocketTransport(ws, NodeWebSocket)] });
    const c1 = await one.open('count', PNCounter);
    const c2 = await two.open('count', PNCounter);
    c1.increment(5);
    await one.synced();
    await first.server.close();
    // Offline: both keep editing.
    c1.increment(1);
    c2.increment(10);
    const second = await listen(dataDir, first.port);
    expect(second.port).toBe(first.port);
    await until(() => one.status === 'online' && two.status === 'online', 'both clients to reconnect', 15_000);
    await one.synced();
    await two.synced();
    await until(() => c1.value === 16 && c2.value === 16, 'both counters to reach 16', 15_000);
  });
});
