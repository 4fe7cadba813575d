import { afterEach, describe, expect, it } from 'vitest';
import { applyMiddleware, legacy_createStore, type UnknownAction } from 'redux';
import type { AppAction, Channel } from '../../src/sync/channel.js';
import { REMOTE_CHANGE, ReduxBindingError, actionRelay, type ActionRelay } from '../../src/redux/index.js';
import { eventually, settle, world, type World } from '../sync/client/harness.js';
import { codeOf } from './harness.js';

let w: World;
afterEach(async () => {
  await w.close();
});

/** A store that records every action its reducer sees, relaying `types` on the board channel. */
function relayedStore(channel: Channel, types: readonly string[]) {
  const errors: ReduxBindingError[] = [];
  const relay = actionRelay({ channel, types, onError: (e) => errors.push(e) });
  const seen = (state: readonly UnknownAction[] = [], action: UnknownAction) => (action.type.startsWith('@@') ? state : [...state, action]);
  const store = legacy_createStore(seen, applyMiddleware(relay));
  return { store, relay, errors };
}

/** A hub whose board channel allows `hubTypes`, two members with stores relaying `types`, and a raw third member. */
async function board(types: readonly string[], hubTypes: readonly string[] = types) {
  w = world({ channels: { board: { allow: [...hubTypes] } } });
  const a = w.client().client;
  const b = w.client().client;
  const raw = w.client().client;
  const alice = relayedStore(a.channel('board'), types);
  const bob = relayedStore(b.channel('board'), types);
  const rawGot: AppAction[] = [];
  raw.channel('board').on('action', (action) => rawGot.push(action));
  await Promise.all([a.synced(), b.synced(), raw.synced()]);
  return { a, b, raw, alice, bob, rawGot };
}

describe('actionRelay', () => {
  it('an allowed action reaches the other store once, marked with its sender; it is not sent again', async () => {
    const { a, alice, bob, rawGot } = await board(['board/celebrate']);
    const sentBefore = w.lossy.count('action');
    alice.store.dispatch({ type: 'board/celebrate', payload: { who: 'Ada' } });
    await eventually(() => bob.store.getState().length === 1);
    await eventually(() => rawGot.length === 1);
    await settle(20);
    expect(bob.store.getState()).toEqual([{ type: 'board/celebrate', payload: { who: 'Ada' }, meta: { tandem: { from: a.client } } }]);
    expect(alice.store.getState()).toEqual([{ type: 'board/celebrate', payload: { who: 'Ada' } }]);
    // One action message reached the hub: Bob's store did not send back what it received.
    expect(w.lossy.count('action') - sentBefore).toBe(1);
    expect(rawGot).toEqual([{ type: 'board/celebrate', payload: { who: 'Ada' } }]);
    expect([...alice.errors, ...bob.errors]).toEqual([]);
  });

  it('a type off the allow-list stays local', async () => {
    const { alice, bob, rawGot } = await board(['board/celebrate']);
    const sentBefore = w.lossy.count('action');
    alice.store.dispatch({ type: 'board/local', payload: 1 });
    alice.store.dispatch({ type: REMOTE_CHANGE, payload: {} });
    await settle(30);
    expect(w.lossy.count('action') - sentBefore).toBe(0);
    expect(bob.store.getState()).toEqual([]);
    expect(rawGot).toEqual([]);
    expect(alice.store.getState().map((x) => x.type)).toEqual(['board/local', REMOTE_CHANGE]);
  });

  it("the receiver refuses a type off its own allow-list, even one the server let through", async () => {
    // A misconfigured server allows admin/wipe; a raw client forges it.
    const { raw, bob } = await board(['board/celebrate'], ['board/celebrate', 'admin/wipe']);
    raw.channel('board').publish({ type: 'admin/wipe', payload: { everything: true } });
    await eventually(() => bob.errors.length === 1);
    expect(bob.errors[0]!.code).toBe('refused-action');
    expect(bob.errors[0]!.message).toContain('admin/wipe');
    raw.channel('board').publish({ type: 'board/celebrate', meta: 'not an object' });
    await eventually(() => bob.errors.length === 2);
    expect(bob.errors[1]!.code).toBe('refused-action');
    // A forged marker does not stop the receiver from dispatching, and is replaced by the real sender.
    raw.channel('board').publish({ type: 'board/celebrate', meta: { tandem: { from: 'someone else' }, note: 1 } });
    await eventually(() => bob.store.getState().length === 1);
    expect(bob.store.getState()[0]).toEqual({ type: 'board/celebrate', meta: { tandem: { from: raw.client }, note: 1 } });
  });

  it('malformed actions straight into the channel are dropped and reported, never thrown', () => {
    w = world();
    const client = w.client().client;
    const channel = client.channel('board');
    const { store, errors } = relayedStore(channel, ['ok']);
    const malformed: unknown[] = [null, 'ok', [], { type: 5 }, { payload: 1 }, { type: 'ok', when: new Date(0) }, { type: 'ok', n: Number.NaN }];
    for (const action of malformed) channel.received(action as AppAction, 'mallory');
    expect(store.getState()).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(malformed.map(() => 'refused-action'));
  });

  it('a reducer that throws on a received action is reported as dispatch-failed', () => {
    w = world();
    const channel = w.client().client.channel('board');
    const errors: ReduxBindingError[] = [];
    const relay = actionRelay({ channel, types: ['boom'], onError: (e) => errors.push(e) });
    const store = legacy_createStore((state: number = 0, action: UnknownAction) => {
      if (action.type === 'boom') throw new Error('the reducer refused');
      return state;
    }, applyMiddleware(relay));
    channel.received({ type: 'boom' }, 'peer');
    expect(store.getState()).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(['dispatch-failed']);
  });

  it('an allowed action that is not JSON throws at dispatch; the store does not take it and nothing is sent', async () => {
    const { alice } = await board(['board/celebrate']);
    const sentBefore = w.lossy.count('action');
    const bad = { type: 'board/celebrate', at: new Date(0) };
    expect(codeOf(() => alice.store.dispatch(bad))).toBe('not-json');
    expect(codeOf(() => alice.store.dispatch({ type: 'board/celebrate', meta: undefined }))).toBe('not-json');
    await settle(20);
    expect(alice.store.getState()).toEqual([]);
    expect(w.lossy.count('action') - sentBefore).toBe(0);
  });

  it('stop ends sending and receiving; a relay serves one store; options are checked', async () => {
    const { alice, bob, raw } = await board(['board/celebrate']);
    bob.relay.stop();
    bob.relay.stop();
    raw.channel('board').publish({ type: 'board/celebrate' });
    bob.store.dispatch({ type: 'board/celebrate' });
    await eventually(() => alice.store.getState().length === 1);
    await settle(20);
    expect(bob.store.getState()).toEqual([{ type: 'board/celebrate' }]);
    expect(alice.store.getState()).toEqual([{ type: 'board/celebrate', meta: { tandem: { from: raw.client } } }]);

    const relay: ActionRelay = actionRelay({ channel: raw.channel('board'), types: ['x'] });
    legacy_createStore((s: number = 0) => s, applyMiddleware(relay));
    expect(() => legacy_createStore((s: number = 0) => s, applyMiddleware(relay))).toThrow(/one relay per store/);
    const bad = (options: unknown) => () => actionRelay(options as Parameters<typeof actionRelay>[0]);
    for (const options of [
      null,
      { channel: {}, types: ['x'] },
      { channel: raw.channel('board'), types: 'x' },
      { channel: raw.channel('board'), types: [''] },
      { channel: raw.channel('board'), types: [REMOTE_CHANGE] },
      { channel: raw.channel('board'), types: ['@@redux/INIT'] },
      { channel: raw.channel('board'), types: ['x'], onError: 'log' },
    ]) {
      expect(bad(options)).toThrow(ReduxBindingError);
    }
  });
});
