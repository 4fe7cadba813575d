/**
 * Found while measuring edit-to-peer latency: a change made while a commit was finishing
 * (after its last check for more changes, before it was marked done) was never sent, so
 * the peer never saw it and `synced()` waited forever. Each edit here waits for the peer.
 * The OT session had the same commit loop; its case guards it (its timing did not expose
 * the old bug, since an OT op waits for the previous one's ack).
 */
import { afterEach, expect, it } from 'vitest';
import { Text } from '../../src/crdt/index.js';
import { world, type World } from '../sync/client/harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

it('every edit reaches the peer when each is made as soon as the previous one arrived', async () => {
  w = world();
  const a = w.client().client;
  const b = w.client().client;
  const ta = await a.open('doc', Text);
  const tb = await b.open('doc', Text);
  for (let i = 0; i < 60; i++) {
    const seen = new Promise<boolean>((resolve) => {
      const off = tb.on('change', () => {
        off();
        resolve(true);
      });
      setTimeout(() => resolve(false), 1000);
    });
    ta.insert(ta.length, 'x');
    expect(await seen).toBe(true);
  }
  await a.synced();
  expect(tb.toString()).toBe('x'.repeat(60));
});

it('every OT edit reaches the peer when each is made as soon as the previous one arrived', async () => {
  w = world();
  const a = w.client().client;
  const b = w.client().client;
  const da = await a.openOT('doc', 'text');
  const db = await b.openOT('doc', 'text');
  for (let i = 0; i < 40; i++) {
    const seen = new Promise<boolean>((resolve) => {
      const off = db.on('change', () => {
        off();
        resolve(true);
      });
      setTimeout(() => resolve(false), 1000);
    });
    da.insert(da.value.length, 'x');
    expect(await seen).toBe(true);
  }
  await a.synced();
  expect(db.value).toBe('x'.repeat(40));
});
