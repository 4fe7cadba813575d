/**
 * Found in review of `SyncClient.pause()`: a 'status' listener that pauses (or closes) the
 * client when it reports `connecting` ran before the connection was opened, so the
 * connection opened anyway, after the pause had dropped everything. It stayed open while
 * paused (or closed), its events were ignored, and `resume()` then saw a connection and did
 * nothing: the client never came back online.
 */
import { afterEach, expect, it } from 'vitest';
import { PNCounter } from '../../src/crdt/index.js';
import { eventually, settle, world, type World } from '../sync/client/harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

it('pause() from a status listener on connecting opens no connection, and resume() reconnects', async () => {
  w = world();
  const { client, transport } = w.client({ backoff: { base: 1, cap: 1 } });
  const counter = await client.open('count', PNCounter);
  let pauseOnConnecting = true;
  client.on('status', (status) => {
    if (status === 'connecting' && pauseOnConnecting) {
      pauseOnConnecting = false;
      client.pause();
    }
  });
  transport.cut();
  await eventually(() => client.paused);
  await settle(30);
  expect(client.status).toBe('offline');
  expect(transport.connections).toBe(0);
  counter.increment(2);
  client.resume();
  await eventually(() => client.status === 'online', 1000);
  await client.synced();
  expect(transport.connections).toBe(1);
  expect((await w.client().client.open('count', PNCounter)).value).toBe(2);
});

it('close() from a status listener on connecting leaves no connection open', async () => {
  w = world();
  const { client, transport } = w.client({ backoff: { base: 1, cap: 1 } });
  await client.open('count', PNCounter);
  let closing: Promise<void> | undefined;
  client.on('status', (status) => {
    if (status === 'connecting' && closing === undefined) closing = client.close();
  });
  transport.cut();
  await eventually(() => closing !== undefined);
  await closing;
  await settle(30);
  expect(client.status).toBe('offline');
  expect(transport.connections).toBe(0);
});
