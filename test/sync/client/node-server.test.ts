/**
 * The client against the Node server of `tandem/server` (its WebSocket and SSE + POST
 * endpoints over a MemoryStore): checks that both sides agree on the wire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Text } from '../../../src/crdt/index.js';
import { SyncServer } from '../../../src/server/index.js';
import { SyncClient } from '../../../src/sync/client.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { MemoryStore } from '../../../src/sync/store.js';
import type { WebSocketConstructor } from '../../../src/sync/websocket-transport.js';

const clients: SyncClient[] = [];
let server: SyncServer | undefined;
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
});

function client(url: string, websocket: boolean): SyncClient {
  const c = new SyncClient({
    url,
    storage: new MemoryStorage(),
    ...(websocket ? { WebSocket: WebSocket as unknown as WebSocketConstructor } : {}),
  });
  clients.push(c);
  return c;
}

describe('SyncClient against SyncServer', () => {
  it('a WebSocket client and an SSE client edit one text and converge', async () => {
    server = new SyncServer({ store: new MemoryStore() });
    const { url } = await server.listen({ port: 0 });
    const ws = client(url, true);
    const sse = client(url, false);
    const a = await ws.open('notes', Text);
    const b = await sse.open('notes', Text);
    expect([ws.transport, sse.transport]).toEqual(['websocket', 'sse']);
    a.insert(0, 'over ws');
    b.insert(0, 'over sse ');
    await Promise.all([ws.synced(), sse.synced()]);
    await Promise.all([ws.synced(), sse.synced()]);
    expect(a.toString()).toBe(b.toString());
    expect(a.toString().length).toBe('over ws'.length + 'over sse '.length);
    const ot = await sse.openOT('draft', 'text');
    ot.insert(0, 'ot via sse');
    await sse.synced();
    const again = await ws.openOT('draft', 'text');
    expect(again.value).toBe('ot via sse');
  });
});
