import { afterEach, describe, expect, it } from 'vitest';
import { resolveLimits } from '../../src/codec/index.js';
import { PNCounter, Text } from '../../src/crdt/index.js';
import { textType } from '../../src/ot/index.js';
import {
  MemoryStore,
  SyncHub,
  decodeMessage,
  encodeMessage,
  type DocumentStore,
  type HubOptions,
  type Message,
  type ServerMessage,
  type StoredDocument,
} from '../../src/sync/index.js';

const LIMITS = resolveLimits(undefined);

/** A client speaking raw protocol to a hub in memory. */
class RawClient {
  readonly got: ServerMessage[] = [];
  closed = false;
  private readonly connection;
  constructor(
    hub: SyncHub,
    readonly id: string,
  ) {
    this.connection = hub.connect({
      send: (frame) => this.got.push(decodeMessage(frame, LIMITS) as ServerMessage),
      close: () => {
        this.closed = true;
      },
    });
  }
  send(message: Message): void {
    this.connection.receive(encodeMessage(message));
  }
  raw(frame: Uint8Array): void {
    this.connection.receive(frame);
  }
  hello(token: string | null = null): this {
    this.send({ kind: 'hello', protocol: 1, client: this.id, token });
    return this;
  }
  subscribe(doc: string, type: string, version = {}): void {
    this.send({ kind: 'subscribe', doc, type, version });
  }
  of<K extends ServerMessage['kind']>(kind: K): Extract<ServerMessage, { kind: K }>[] {
    return this.got.filter((m): m is Extract<ServerMessage, { kind: K }> => m.kind === kind);
  }
  disconnect(): void {
    this.connection.closed();
  }
}

/** Lets queued promises and the hub's per-document queues run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

const hubs: SyncHub[] = [];
function makeHub(options: Partial<HubOptions> = {}): SyncHub {
  const hub = new SyncHub({ store: new MemoryStore(), ...options });
  hubs.push(hub);
  return hub;
}
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.close()));
});

/** `store`, with every append waiting for `before` first (and failing when it fails). */
function gated(store: DocumentStore, before: () => Promise<void>): DocumentStore {
  return {
    load: (doc) => store.load(doc),
    append: async (...args) => {
      await before();
      await store.append(...args);
    },
    compact: (...args) => store.compact(...args),
    close: () => store.close(),
  };
}

/** The state a fresh subscriber receives. */
async function serverText(hub: SyncHub, doc: string): Promise<string> {
  const probe = new RawClient(hub, `probe-${Math.random().toString(36).slice(2)}`).hello();
  probe.subscribe(doc, 'text');
  await settle();
  const text = new Text({ replica: 'reader' });
  text.apply(probe.of('synced')[0]!.update);
  probe.disconnect();
  return text.toString();
}

describe('SyncHub sessions', () => {
  it('answers hello with welcome, and refuses another protocol version', async () => {
    const hub = makeHub({ heartbeat: 1234 });
    const a = new RawClient(hub, 'a').hello();
    await settle();
    expect(a.got).toEqual([{ kind: 'welcome', protocol: 1, heartbeat: 1234 }]);
    const b = new RawClient(hub, 'b');
    b.send({ kind: 'hello', protocol: 99, client: 'b', token: null });
    await settle();
    expect(b.of('error')[0]!.code).toBe('unsupported-protocol');
    expect(b.closed).toBe(true);
  });

  it('requires hello first', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a');
    a.subscribe('notes', 'text');
    await settle();
    expect(a.of('error')[0]).toMatchObject({ code: 'malformed' });
    expect(a.of('synced')).toEqual([]);
  });

  it('answers a malformed or oversized frame with an error and keeps serving', async () => {
    const hub = makeHub({ limits: { maxFrameBytes: 200 } });
    const a = new RawClient(hub, 'a').hello();
    a.raw(new Uint8Array([1, 2, 3]));
    a.raw(new Uint8Array(201));
    a.subscribe('notes', 'text');
    await settle();
    expect(a.of('error').map((e) => e.code)).toEqual(['malformed', 'limit-exceeded']);
    expect(a.of('synced')).toHaveLength(1);
  });

  it('drops messages over the rate limit', async () => {
    let now = 0;
    const hub = makeHub({ limits: { maxMessagesPerSecond: 5 }, now: () => now });
    const a = new RawClient(hub, 'a').hello();
    for (let i = 0; i < 10; i++) a.send({ kind: 'ping', nonce: i });
    expect(a.of('pong')).toHaveLength(4);
    expect(a.of('error').every((e) => e.code === 'limit-exceeded')).toBe(true);
    now = 1000;
    a.send({ kind: 'ping', nonce: 100 });
    expect(a.of('pong').at(-1)).toEqual({ kind: 'pong', nonce: 100 });
  });

  it('limits the documents open on one connection', async () => {
    const hub = makeHub({ limits: { maxDocsPerConnection: 2 } });
    const a = new RawClient(hub, 'a').hello();
    for (const doc of ['x', 'y', 'z']) a.subscribe(doc, 'pncounter');
    await settle();
    expect(a.of('synced').map((m) => m.doc)).toEqual(['x', 'y']);
    expect(a.of('error')[0]).toMatchObject({ code: 'limit-exceeded', doc: 'z' });
  });

  it('closes a connection silent for two heartbeats', async () => {
    let now = 0;
    const hub = makeHub({ heartbeat: 100, now: () => now });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    now = 150;
    b.send({ kind: 'ping', nonce: 1 });
    now = 250;
    hub.sweep();
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
  });
});

describe('SyncHub documents', () => {
  it('sends a subscriber what it lacks, forwards updates, and acknowledges them', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('notes', 'text');
    b.subscribe('notes', 'text');
    await settle();
    const ta = new Text({ replica: 'a' }).insert(0, 'hello');
    a.send({ kind: 'update', doc: 'notes', seq: 1, update: ta.encode() });
    await settle();
    expect(a.of('ack')).toEqual([{ kind: 'ack', doc: 'notes', seq: 1 }]);
    expect(a.of('update')).toEqual([]);
    const tb = new Text({ replica: 'b' });
    for (const m of b.of('update')) tb.apply(m.update);
    expect(tb.toString()).toBe('hello');

    // A late subscriber holding part of the document receives only the rest.
    ta.insert(5, ' world');
    a.send({ kind: 'update', doc: 'notes', seq: 2, update: ta.encode(tb.version()) });
    await settle();
    const c = new RawClient(hub, 'c').hello();
    c.subscribe('notes', 'text', tb.version());
    await settle();
    const synced = c.of('synced')[0]!;
    expect(synced.version).toEqual(ta.version());
    tb.apply(synced.update);
    expect(tb.toString()).toBe('hello world');
    expect(synced.update.length).toBeLessThan(ta.encode().length);
  });

  it('acknowledges an update only once the store has made it durable', async () => {
    let release: () => void = () => {};
    const store = new MemoryStore();
    const slow = gated(store, () => new Promise<void>((resolve) => (release = resolve)));
    const hub = makeHub({ store: slow });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('n', 'pncounter');
    b.subscribe('n', 'pncounter');
    await settle();
    a.send({ kind: 'update', doc: 'n', seq: 7, update: new PNCounter({ replica: 'a' }).increment(2).encode() });
    await settle();
    expect(a.of('ack')).toEqual([]);
    expect(b.of('update')).toEqual([]);
    expect(await store.load('n')).toBeUndefined();
    release();
    await settle();
    expect(a.of('ack')).toEqual([{ kind: 'ack', doc: 'n', seq: 7 }]);
    expect(b.of('update')).toHaveLength(1);
    expect((await store.load('n'))!.entries).toHaveLength(1);
  });

  it('answers a ping only after the forwards queued before it, so a pong means caught up', async () => {
    let release: () => void = () => {};
    const store = new MemoryStore();
    const slow = gated(store, () => new Promise<void>((resolve) => (release = resolve)));
    const hub = makeHub({ store: slow });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('n', 'pncounter');
    b.subscribe('n', 'pncounter');
    await settle();
    a.send({ kind: 'update', doc: 'n', seq: 1, update: new PNCounter({ replica: 'a' }).increment(1).encode() });
    await settle();
    // The update is merged and its write is waiting on the store.
    b.send({ kind: 'ping', nonce: 5 });
    await settle();
    expect(b.of('pong')).toEqual([]);
    release();
    await settle();
    expect(b.got.map((m) => m.kind).slice(-2)).toEqual(['update', 'pong']);
  });

  it('drops its copy and disconnects subscribers when a write fails, acknowledging nothing', async () => {
    const store = new MemoryStore();
    let failing = false;
    const flaky = gated(store, async () => {
      if (failing) throw new Error('disk full');
    });
    const errors: unknown[] = [];
    const hub = makeHub({ store: flaky, onError: (e) => errors.push(e) });
    const a = new RawClient(hub, 'a').hello();
    a.subscribe('notes', 'text');
    await settle();
    const ta = new Text({ replica: 'a' }).insert(0, 'kept');
    a.send({ kind: 'update', doc: 'notes', seq: 1, update: ta.encode() });
    await settle();
    failing = true;
    const v = ta.version();
    ta.insert(4, ' lost');
    a.send({ kind: 'update', doc: 'notes', seq: 2, update: ta.encode(v) });
    await settle();
    expect(a.of('ack').map((m) => m.seq)).toEqual([1]);
    expect(a.closed).toBe(true);
    expect(errors).toHaveLength(1);
    failing = false;
    expect(await serverText(hub, 'notes')).toBe('kept');
  });

  it('refuses an update that cannot merge yet instead of holding it', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a').hello();
    a.subscribe('notes', 'text');
    await settle();
    const ta = new Text({ replica: 'a' }).insert(0, 'one');
    const v = ta.version();
    ta.insert(3, ' two');
    a.send({ kind: 'update', doc: 'notes', seq: 1, update: ta.encode(v) });
    await settle();
    expect(a.of('error')[0]).toMatchObject({ code: 'rejected', doc: 'notes', seq: 1 });
    expect(a.of('ack')).toEqual([]);
    expect(await serverText(hub, 'notes')).toBe('');
  });

  it('refuses a corrupted update, leaving the document as it was', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a').hello();
    a.subscribe('notes', 'text');
    await settle();
    const update = new Text({ replica: 'a' }).insert(0, 'x').encode();
    update[update.length - 6]! ^= 0xff;
    a.send({ kind: 'update', doc: 'notes', seq: 1, update });
    await settle();
    expect(a.of('error')[0]).toMatchObject({ code: 'rejected', seq: 1 });
    expect(await serverText(hub, 'notes')).toBe('');
  });

  it('checks authorization at subscribe: refused, read-only, or writable', async () => {
    const hub = makeHub({
      authorize: ({ token, doc }) => (token === 'admin' ? 'write' : doc.startsWith('public/') ? 'read' : false),
    });
    const admin = new RawClient(hub, 'admin').hello('admin');
    const guest = new RawClient(hub, 'guest').hello('guest');
    guest.subscribe('secret', 'text');
    guest.subscribe('public/notes', 'text');
    admin.subscribe('public/notes', 'text');
    await settle();
    expect(guest.of('error')[0]).toMatchObject({ code: 'forbidden', doc: 'secret' });
    expect(guest.of('synced').map((m) => [m.doc, m.writable])).toEqual([['public/notes', false]]);
    expect(admin.of('synced')[0]!.writable).toBe(true);

    // A read-only client's update is refused before it is decoded: even garbage gets `forbidden`.
    guest.send({ kind: 'update', doc: 'public/notes', seq: 1, update: new Uint8Array([9, 9, 9]) });
    guest.send({ kind: 'update', doc: 'public/notes', seq: 2, update: new Text({ replica: 'guest' }).insert(0, 'x').encode() });
    await settle();
    expect(guest.of('error').slice(1).map((e) => [e.code, e.seq])).toEqual([
      ['forbidden', 1],
      ['forbidden', 2],
    ]);
    expect(await serverText(hub, 'public/notes')).toBe('');

    // Updates reach read-only subscribers.
    admin.send({ kind: 'update', doc: 'public/notes', seq: 1, update: new Text({ replica: 'admin' }).insert(0, 'news').encode() });
    await settle();
    expect(guest.of('update')).toHaveLength(1);
  });

  it('refuses a subscription to a document of another type, and unknown types', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a').hello();
    a.subscribe('n', 'pncounter');
    await settle();
    a.subscribe('n', 'text');
    a.subscribe('m', 'no-such-type');
    await settle();
    expect(a.of('error').map((e) => e.code)).toEqual(['type-mismatch', 'malformed']);
  });

  it('comes back from its store after a restart, with compaction along the way', async () => {
    const store = new MemoryStore();
    const hub = makeHub({ store, compactEvery: 3 });
    const a = new RawClient(hub, 'a').hello();
    a.subscribe('notes', 'text');
    await settle();
    const ta = new Text({ replica: 'a' });
    for (let i = 0; i < 10; i++) {
      const v = ta.version();
      ta.insert(ta.length, `${i}`);
      a.send({ kind: 'update', doc: 'notes', seq: i + 1, update: ta.encode(v) });
    }
    await settle();
    expect(a.of('ack')).toHaveLength(10);
    await hub.close();
    const stored = (await store.load('notes')) as StoredDocument;
    expect(stored.snapshot).toBeDefined();
    expect(stored.entries.length).toBeLessThan(3);
    const again = makeHub({ store });
    expect(await serverText(again, 'notes')).toBe('0123456789');
  });
});

describe('SyncHub OT documents', () => {
  it('runs an OTServer per document, durable and restartable, de-duplicating resends', async () => {
    const store = new MemoryStore();
    const hub = makeHub({ store });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('draft', 'ot-text');
    b.subscribe('draft', 'ot-text');
    await settle();
    a.send({ kind: 'ot', doc: 'draft', message: { kind: 'hello', client: 'a', revision: 0 } });
    b.send({ kind: 'ot', doc: 'draft', message: { kind: 'hello', client: 'b', revision: 0 } });
    a.send({ kind: 'ot', doc: 'draft', message: { kind: 'op', client: 'a', seq: 1, base: 0, op: [{ insert: 'hi' }] } });
    await settle();
    expect(a.of('ot').map((m) => m.message)).toContainEqual({ kind: 'ack', seq: 1, revision: 1 });
    expect(b.of('ot').map((m) => m.message)).toContainEqual({ kind: 'remote', revision: 1, op: [{ insert: 'hi' }] });

    // Another client cannot speak for a.
    b.send({ kind: 'ot', doc: 'draft', message: { kind: 'op', client: 'a', seq: 2, base: 1, op: [{ insert: 'x' }] } });
    await settle();
    expect(b.of('error')[0]).toMatchObject({ code: 'malformed' });

    await hub.close();
    const again = makeHub({ store });
    const c = new RawClient(again, 'a').hello();
    c.subscribe('draft', 'ot-text');
    await settle();
    c.send({ kind: 'ot', doc: 'draft', message: { kind: 'hello', client: 'a', revision: 0 } });
    // A resend of op 1 after the restart is recognised, not applied again.
    c.send({ kind: 'ot', doc: 'draft', message: { kind: 'op', client: 'a', seq: 1, base: 0, op: [{ insert: 'hi' }] } });
    c.send({ kind: 'ot', doc: 'draft', message: { kind: 'op', client: 'a', seq: 2, base: 1, op: [{ retain: 2 }, { insert: '!' }] } });
    await settle();
    const replies = c.of('ot').map((m) => m.message);
    expect(replies).toContainEqual({ kind: 'ack', seq: 2, revision: 2 });
    const entries = (await store.load('draft'))!.entries;
    expect(entries).toHaveLength(2);
    expect(textType.apply(textType.apply('', [{ insert: 'hi' }]), [{ retain: 2 }, { insert: '!' }])).toBe('hi!');
  });
});

describe('SyncHub presence and channels', () => {
  it('forwards presence to the other subscribers, sends peers on subscribe, and expires it', async () => {
    let now = 0;
    const hub = makeHub({ presenceTimeout: 1000, heartbeat: 10_000, now: () => now });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('notes', 'text');
    b.subscribe('notes', 'text');
    await settle();
    a.send({ kind: 'presence', doc: 'notes', client: '', state: { name: 'Ann', cursor: 3 } });
    await settle();
    expect(b.of('presence')).toEqual([{ kind: 'presence', doc: 'notes', client: 'a', state: { name: 'Ann', cursor: 3 } }]);
    expect(a.of('presence')).toEqual([]);
    const c = new RawClient(hub, 'c').hello();
    c.subscribe('notes', 'text');
    await settle();
    expect(c.of('presence')).toEqual([{ kind: 'presence', doc: 'notes', client: 'a', state: { name: 'Ann', cursor: 3 } }]);
    now = 1500;
    b.send({ kind: 'ping', nonce: 1 });
    hub.sweep();
    expect(b.of('presence').at(-1)).toEqual({ kind: 'presence', doc: 'notes', client: 'a', state: null });
  });

  it('announces a leaving peer', async () => {
    const hub = makeHub();
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    a.subscribe('notes', 'text');
    b.subscribe('notes', 'text');
    await settle();
    a.send({ kind: 'presence', doc: 'notes', client: '', state: 'here' });
    await settle();
    a.disconnect();
    expect(b.of('presence').map((p) => p.state)).toEqual(['here', null]);
  });

  it('relays allowed actions to the other members only, and refuses the rest to the sender', async () => {
    const hub = makeHub({
      channels: { board: { allow: ['todo/added'], maxBytes: 100 } },
      authorize: ({ token }) => (token === 'viewer' ? 'read' : 'write'),
    });
    const a = new RawClient(hub, 'a').hello();
    const b = new RawClient(hub, 'b').hello();
    const viewer = new RawClient(hub, 'v').hello('viewer');
    for (const c of [a, b, viewer]) c.send({ kind: 'join', channel: 'board' });
    a.send({ kind: 'join', channel: 'nowhere' });
    await settle();
    a.send({ kind: 'action', channel: 'board', client: '', action: { type: 'todo/added', title: 'milk' } });
    a.send({ kind: 'action', channel: 'board', client: '', action: { type: 'todo/removed' } });
    a.send({ kind: 'action', channel: 'board', client: '', action: { type: 'todo/added', title: 'x'.repeat(200) } });
    viewer.send({ kind: 'action', channel: 'board', client: '', action: { type: 'todo/added' } });
    await settle();
    const relayed = { kind: 'action', channel: 'board', client: 'a', action: { type: 'todo/added', title: 'milk' } };
    expect(b.of('action')).toEqual([relayed]);
    expect(viewer.of('action')).toEqual([relayed]);
    expect(a.of('action')).toEqual([]);
    expect(a.of('error').map((e) => e.code)).toEqual(['forbidden', 'action-refused', 'action-refused']);
    expect(viewer.of('error').map((e) => e.code)).toEqual(['action-refused']);
  });
});
