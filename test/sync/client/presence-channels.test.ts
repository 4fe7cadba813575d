import { afterEach, describe, expect, it } from 'vitest';
import { Text } from '../../../src/crdt/index.js';
import type { AppAction } from '../../../src/sync/channel.js';
import type { SyncClientError } from '../../../src/sync/session.js';
import { eventually, settle, world, type World } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

describe('SyncClient: presence', () => {
  it('peers see a join, an update and a leave', async () => {
    w = world();
    const a = w.client().client;
    const b = w.client().client;
    await a.open('notes', Text);
    await b.open('notes', Text);
    const seen: unknown[] = [];
    b.presence('notes').on('change', (peers) => seen.push(peers.get(a.client!) ?? null));
    a.presence('notes').set({ name: 'Ada', cursor: 0 });
    await eventually(() => b.presence('notes').peers.size === 1);
    a.presence('notes').set({ name: 'Ada', cursor: 3 });
    await eventually(() => seen.length === 2);
    a.presence('notes').clear();
    await eventually(() => b.presence('notes').peers.size === 0);
    expect(seen).toEqual([{ name: 'Ada', cursor: 0 }, { name: 'Ada', cursor: 3 }, null]);
    expect(a.presence('notes').peers.size).toBe(0);
  });

  it('a peer that opens the document later is told the current states; a disconnect removes them', async () => {
    w = world();
    const { client: a, transport } = w.client();
    await a.open('notes', Text);
    a.presence('notes').set({ name: 'Ada' });
    await a.synced();
    const b = w.client().client;
    await b.open('notes', Text);
    await eventually(() => b.presence('notes').peers.get(a.client!) !== undefined);
    transport.reachable = false;
    transport.cut();
    await eventually(() => b.presence('notes').peers.size === 0);
    transport.reachable = true;
    // After reconnecting, a sends its state again.
    await eventually(() => b.presence('notes').peers.size === 1);
  });

  it('the state is repeated at every heartbeat, so it outlives the presence timeout; a silent client expires', async () => {
    w = world({ heartbeat: 40, presenceTimeout: 120 });
    const { client: a, transport } = w.client();
    const b = w.client().client;
    await a.open('notes', Text);
    await b.open('notes', Text);
    a.presence('notes').set('here');
    await eventually(() => b.presence('notes').peers.size === 1);
    await settle(400);
    expect(b.presence('notes').peers.get(a.client!)).toBe('here');
    transport.silent = true;
    await eventually(() => b.presence('notes').peers.size === 0);
  });

  it('presence needs the document open; a state must be JSON', async () => {
    w = world();
    const a = w.client().client;
    expect(() => a.presence('nothing')).toThrow(TypeError);
    await a.open('notes', Text);
    expect(() => a.presence('notes').set({ bad: Number.NaN })).toThrow(TypeError);
  });
});

describe('SyncClient: channels', () => {
  it('relays an action to the other members, not back to the sender', async () => {
    w = world({ channels: { board: { allow: ['todo/added'] } } });
    const a = w.client().client;
    const b = w.client().client;
    const got: [AppAction, string][] = [];
    const echoed: AppAction[] = [];
    b.channel('board').on('action', (action, from) => got.push([action, from]));
    a.channel('board').on('action', (action) => echoed.push(action));
    await Promise.all([a.synced(), b.synced()]);
    expect(a.channel('board').publish({ type: 'todo/added', payload: { text: 'milk' } })).toBe(true);
    await eventually(() => got.length === 1);
    expect(got[0]).toEqual([{ type: 'todo/added', payload: { text: 'milk' } }, a.client]);
    await settle(20);
    expect(echoed).toEqual([]);
  });

  it('an action outside the allow-list is refused with an error on the channel', async () => {
    w = world({ channels: { board: { allow: ['todo/added'] } } });
    const a = w.client().client;
    const b = w.client().client;
    const got: AppAction[] = [];
    const errors: SyncClientError[] = [];
    b.channel('board').on('action', (action) => got.push(action));
    a.channel('board').on('error', (error) => errors.push(error));
    await Promise.all([a.synced(), b.synced()]);
    a.channel('board').publish({ type: 'todo/deleted' });
    await eventually(() => errors.length === 1);
    expect(errors[0]!.code).toBe('action-refused');
    expect(got).toEqual([]);
  });

  it('rejoins after a reconnect; publish while offline returns false; leave stops actions', async () => {
    w = world({ channels: { board: { allow: ['ping'] } } });
    const { client: a, transport } = w.client();
    const b = w.client().client;
    const got: AppAction[] = [];
    a.channel('board').on('action', (action) => got.push(action));
    await Promise.all([a.synced(), b.synced()]);
    transport.reachable = false;
    transport.cut();
    await eventually(() => a.status === 'offline');
    expect(a.channel('board').publish({ type: 'ping' })).toBe(false);
    transport.reachable = true;
    await a.synced();
    b.channel('board').publish({ type: 'ping', n: 1 });
    await eventually(() => got.length === 1);
    a.channel('board').leave();
    await a.synced();
    b.channel('board').publish({ type: 'ping', n: 2 });
    await settle(20);
    expect(got).toEqual([{ type: 'ping', n: 1 }]);
    expect(() => a.channel('board').publish({ type: 'ping' })).not.toThrow();
  });
});
