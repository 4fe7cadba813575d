import { describe, expect, it } from 'vitest';
import {
  OTClient,
  type DocumentChange,
  type ClientMessage,
  type OTType,
  type RejectEvent,
} from '../../../src/ot/control/index.js';
import { plainText, plainTextType, tandemRichText, textDiff, withDiff } from './doubles.js';

const { insert, remove } = plainText;
type Op = ReturnType<typeof insert>;

function setup<S, O>(type: OTType<S, O>, snapshot: S, online = true) {
  const sent: ClientMessage<O>[] = [];
  const changes: DocumentChange<S, O>[] = [];
  const rejects: RejectEvent<O>[] = [];
  const client = new OTClient(type, { client: 'me', send: (m) => sent.push(m), snapshot });
  client.on('change', (e) => changes.push(e));
  client.on('reject', (e) => rejects.push(e));
  if (online) {
    client.connected();
    client.receive({ kind: 'ready', revision: 0 });
    sent.length = 0;
  }
  return { client, sent, changes, rejects };
}

function text(snapshot = 'abc', online = true) {
  return setup(plainTextType, snapshot, online);
}

function view<S, O>(client: OTClient<S, O>) {
  return {
    document: client.document,
    confirmed: client.confirmedDocument,
    revision: client.revision,
    state: client.state,
    connection: client.connection,
    sequence: client.sequence,
  };
}

describe('OTClient states', () => {
  it('starts synchronised and offline; hello then ready takes it online', () => {
    const { client, sent } = text('abc', false);
    expect(client.state).toBe('synchronised');
    expect(client.connection).toBe('offline');
    client.connected();
    expect(client.connection).toBe('joining');
    expect(sent).toEqual([{ kind: 'hello', client: 'me', revision: 0 }]);
    client.receive({ kind: 'ready', revision: 0 });
    expect(client.connection).toBe('online');
  });

  it('synchronised → awaiting confirmation: a local op applies at once and is sent', () => {
    const { client, sent, changes } = text();
    client.submit(insert(1, 'X'));
    expect(client.document).toBe('aXbc');
    expect(client.confirmedDocument).toBe('abc');
    expect(client.state).toBe('awaiting-confirmation');
    expect(sent).toEqual([{ kind: 'op', client: 'me', seq: 0, base: 0, op: insert(1, 'X') }]);
    expect(changes).toEqual([{ kind: 'op', origin: 'local', op: insert(1, 'X'), before: 'abc', after: 'aXbc' }]);
  });

  it('awaiting confirmation → awaiting with buffer: further ops compose into the buffer, unsent', () => {
    const { client, sent } = text();
    client.submit(insert(1, 'X'));
    client.submit(insert(0, 'Y'));
    client.submit(insert(5, 'Z'));
    expect(client.state).toBe('awaiting-with-buffer');
    expect(client.document).toBe('YaXbcZ');
    expect(sent).toHaveLength(1);
  });

  it('awaiting with buffer → awaiting confirmation on ack: the buffer is sent as one op under the next seq', () => {
    const { client, sent } = text();
    client.submit(insert(1, 'X'));
    client.submit(insert(0, 'Y'));
    client.submit(insert(5, 'Z'));
    client.receive({ kind: 'ack', seq: 0, revision: 1 });
    expect(client.state).toBe('awaiting-confirmation');
    expect(client.revision).toBe(1);
    expect(client.confirmedDocument).toBe('aXbc');
    expect(sent[1]).toEqual({ kind: 'op', client: 'me', seq: 1, base: 1, op: ['Y', 4, 'Z'] });
  });

  it('awaiting confirmation → synchronised on ack', () => {
    const { client } = text();
    client.submit(insert(1, 'X'));
    client.receive({ kind: 'ack', seq: 0, revision: 1 });
    expect(view(client)).toMatchObject({ state: 'synchronised', document: 'aXbc', confirmed: 'aXbc', revision: 1 });
  });

  it('synchronised: a remote op applies as it is', () => {
    const { client, changes } = text();
    client.receive({ kind: 'remote', revision: 1, op: insert(3, '!') });
    expect(view(client)).toMatchObject({ state: 'synchronised', document: 'abc!', confirmed: 'abc!', revision: 1 });
    expect(changes).toEqual([{ kind: 'op', origin: 'remote', op: insert(3, '!'), before: 'abc', after: 'abc!' }]);
  });

  it('awaiting with buffer: a remote op is transformed over the op in flight and the buffer, and they over it', () => {
    const { client, sent, changes } = text();
    client.submit(insert(1, 'X')); // aXbc
    client.submit(remove(3, 1)); // aXb
    client.receive({ kind: 'remote', revision: 1, op: insert(0, 'RR') }); // server: RRabc
    expect(client.document).toBe('RRaXb');
    expect(client.confirmedDocument).toBe('RRabc');
    expect(changes.at(-1)).toEqual({ kind: 'op', origin: 'remote', op: insert(0, 'RR'), before: 'aXb', after: 'RRaXb' });
    client.receive({ kind: 'ack', seq: 0, revision: 2 });
    expect(client.confirmedDocument).toBe('RRaXbc');
    expect(sent.at(-1)).toEqual({ kind: 'op', client: 'me', seq: 1, base: 2, op: remove(5, 1) });
  });

  it('ignores a message about a revision it has seen, and refuses one that skips revisions, unchanged', () => {
    const { client } = text();
    client.receive({ kind: 'remote', revision: 1, op: insert(0, 'R') });
    const before = view(client);
    client.receive({ kind: 'remote', revision: 1, op: insert(0, 'R') });
    client.receive({ kind: 'ack', seq: 0, revision: 1 });
    expect(view(client)).toEqual(before);
    expect(() => client.receive({ kind: 'remote', revision: 3, op: insert(0, 'R') })).toThrow(
      expect.objectContaining({ name: 'ProtocolError', code: 'revision-gap' }),
    );
    expect(view(client)).toEqual(before);
  });

  it('refuses an ack for an op not in flight as unexpected, unchanged', () => {
    const { client } = text();
    client.submit(insert(0, 'X'));
    const before = view(client);
    expect(() => client.receive({ kind: 'ack', seq: 4, revision: 1 })).toThrow(expect.objectContaining({ code: 'unexpected-message' }));
    expect(view(client)).toEqual(before);
    const idle = text().client;
    expect(() => idle.receive({ kind: 'ack', seq: 0, revision: 1 })).toThrow(expect.objectContaining({ code: 'unexpected-message' }));
  });

  it('refuses a remote op that does not apply as invalid-op, unchanged', () => {
    const { client } = text();
    client.submit(insert(0, 'X'));
    client.submit(insert(0, 'Y'));
    const before = view(client);
    expect(() => client.receive({ kind: 'remote', revision: 1, op: remove(2, 9) })).toThrow(expect.objectContaining({ code: 'invalid-op' }));
    expect(() => client.receive({ kind: 'remote', revision: 1, op: 'garbage' })).toThrow(expect.objectContaining({ code: 'invalid-op' }));
    expect(view(client)).toEqual(before);
  });

  it.each([
    ['null', null],
    ['a string', 'ack'],
    ['an unknown kind', { kind: 'welcome' }],
    ['an ack without seq', { kind: 'ack', revision: 1 }],
    ['a negative revision', { kind: 'remote', revision: -1, op: [] }],
    ['a remote without op', { kind: 'remote', revision: 1 }],
    ['a reject with an unknown reason', { kind: 'reject', seq: 0, reason: 'nope', detail: '' }],
    ['a reject without detail', { kind: 'reject', seq: 0, reason: 'invalid-op' }],
    ['a snapshot without receipt', { kind: 'snapshot', revision: 1, snapshot: '' }],
    ['a snapshot with a bad receipt', { kind: 'snapshot', revision: 1, snapshot: '', receipt: { kind: 'applied', seq: 0 } }],
    ['a snapshot without snapshot', { kind: 'snapshot', revision: 1, receipt: { kind: 'none' } }],
    ['a retry with a fractional seq', { kind: 'retry', seq: 0.5 }],
  ])('refuses a malformed message (%s) with ProtocolError, unchanged', (_, message) => {
    const { client } = text();
    client.submit(insert(0, 'X'));
    const before = view(client);
    expect(() => client.receive(message)).toThrow(expect.objectContaining({ name: 'ProtocolError', code: 'malformed-message' }));
    expect(view(client)).toEqual(before);
  });

  it('refuses ready or snapshot when not joining, unchanged', () => {
    const { client } = text();
    const before = view(client);
    expect(() => client.receive({ kind: 'ready', revision: 0 })).toThrow(expect.objectContaining({ code: 'unexpected-message' }));
    expect(() => client.receive({ kind: 'snapshot', revision: 5, snapshot: 'zz', receipt: { kind: 'none' } })).toThrow(
      expect.objectContaining({ code: 'unexpected-message' }),
    );
    expect(view(client)).toEqual(before);
  });

  it('refuses a ready whose revision is not the one it has caught up to', () => {
    const { client } = text('abc', false);
    client.connected();
    expect(() => client.receive({ kind: 'ready', revision: 2 })).toThrow(expect.objectContaining({ code: 'revision-gap' }));
    expect(client.connection).toBe('joining');
  });

  it('throws the type’s error for a local op that does not apply, unchanged', () => {
    const { client, sent } = text();
    const before = view(client);
    expect(() => client.submit(remove(1, 5))).toThrow();
    expect(view(client)).toEqual(before);
    expect(sent).toEqual([]);
  });

  it('validates its options', () => {
    const send = () => {};
    expect(() => new OTClient(plainTextType, { client: '', send })).toThrow(RangeError);
    expect(() => new OTClient(plainTextType, { client: 'x', send, revision: -1 })).toThrow(RangeError);
    expect(() => new OTClient(plainTextType, { client: 'x', send, nextSeq: 0.5 })).toThrow(RangeError);
    const resumed = new OTClient(plainTextType, { client: 'x', send, revision: 4, nextSeq: 9, snapshot: 'q' });
    expect(view(resumed)).toMatchObject({ revision: 4, sequence: 9, document: 'q' });
  });

  it('stops calling a listener after it unsubscribes', () => {
    const { client, changes } = text();
    const seen: unknown[] = [];
    const off = client.on('change', (e) => seen.push(e));
    client.submit(insert(0, 'a'));
    off();
    client.submit(insert(0, 'b'));
    expect(seen).toHaveLength(1);
    expect(changes).toHaveLength(2);
  });
});

describe('OTClient rejection', () => {
  it('rolls a rejected op back by its inverse, rebases the buffer over it, reports the reason and sends the buffer', () => {
    const { client, sent, changes, rejects } = text('abc');
    client.submit(remove(0, 1)); // bc, in flight
    client.submit(insert(2, '!')); // bc!, buffered
    client.receive({ kind: 'reject', seq: 0, reason: 'does-not-fit', detail: 'no' });
    expect(client.document).toBe('abc!');
    expect(client.state).toBe('awaiting-confirmation');
    expect(rejects).toEqual([{ seq: 0, reason: 'does-not-fit', detail: 'no', op: remove(0, 1) }]);
    expect(changes.at(-1)).toMatchObject({ kind: 'op', origin: 'rollback', before: 'bc!', after: 'abc!' });
    expect(sent.at(-1)).toEqual({ kind: 'op', client: 'me', seq: 1, base: 0, op: insert(3, '!') });
  });

  it('restores rich-text formatting when it rolls back a rejected format', () => {
    const { client, rejects } = setup(tandemRichText.type, [{ insert: 'bold', attributes: { bold: true } }, { insert: ' plain' }]);
    client.submit(tandemRichText.format!(0, 6, null));
    expect(client.document).toEqual([{ insert: 'bold plain' }]);
    client.receive({ kind: 'reject', seq: 0, reason: 'invalid-op', detail: '' });
    expect(client.document).toEqual([{ insert: 'bold', attributes: { bold: true } }, { insert: ' plain' }]);
    expect(rejects).toHaveLength(1);
    expect(client.state).toBe('synchronised');
  });

  it('ignores a reject for an op no longer in flight, and refuses one for an op never sent', () => {
    const { client } = text();
    client.submit(insert(0, 'X'));
    client.receive({ kind: 'ack', seq: 0, revision: 1 });
    client.submit(insert(0, 'Y'));
    const before = view(client);
    client.receive({ kind: 'reject', seq: 0, reason: 'invalid-op', detail: '' });
    expect(view(client)).toEqual(before);
    expect(() => client.receive({ kind: 'reject', seq: 7, reason: 'invalid-op', detail: '' })).toThrow(
      expect.objectContaining({ code: 'unexpected-message' }),
    );
    expect(view(client)).toEqual(before);
  });

  it('falls back to the confirmed document when the type cannot invert, reporting the buffered ops too', () => {
    const { invertWithDoc: _, ...blind } = plainTextType;
    const { client, rejects, changes } = setup(blind, 'abc');
    client.submit(insert(0, 'X'));
    client.submit(insert(0, 'Y'));
    client.receive({ kind: 'reject', seq: 0, reason: 'does-not-fit', detail: '' });
    expect(view(client)).toMatchObject({ document: 'abc', state: 'synchronised' });
    expect(rejects.map((r) => r.reason)).toEqual(['does-not-fit', 'depends-on-rejected']);
    expect(changes.at(-1)).toMatchObject({ kind: 'reset', origin: 'rollback', after: 'abc' });
  });
});

describe('OTClient reconnection', () => {
  it('keeps local ops while offline and sends the first after ready, the rest after its ack', () => {
    const { client, sent } = text('abc', false);
    client.submit(insert(0, 'X'));
    client.submit(insert(0, 'Y'));
    expect(sent).toEqual([]);
    client.connected();
    expect(sent).toEqual([{ kind: 'hello', client: 'me', revision: 0 }]);
    client.receive({ kind: 'remote', revision: 1, op: insert(3, '!') });
    client.receive({ kind: 'ready', revision: 1 });
    expect(sent.at(-1)).toEqual({ kind: 'op', client: 'me', seq: 0, base: 1, op: insert(0, 'X') });
    expect(client.document).toBe('YXabc!');
  });

  it('resends the op in flight with the same seq after reconnecting, rebased over what it missed', () => {
    const { client, sent } = text();
    client.submit(insert(1, 'X'));
    client.disconnected();
    client.submit(insert(0, 'Y'));
    expect(sent).toHaveLength(1);
    client.connected();
    client.receive({ kind: 'remote', revision: 1, op: insert(0, 'R') });
    client.receive({ kind: 'ready', revision: 1 });
    expect(sent.at(-1)).toEqual({ kind: 'op', client: 'me', seq: 0, base: 1, op: insert(2, 'X') });
  });

  it('learns from the catch-up that its op was applied, and does not resend it', () => {
    const { client, sent } = text();
    client.submit(insert(1, 'X'));
    client.disconnected();
    client.connected();
    client.receive({ kind: 'ack', seq: 0, revision: 1 });
    client.receive({ kind: 'ready', revision: 1 });
    expect(sent.map((m) => m.kind)).toEqual(['op', 'hello']);
    expect(client.state).toBe('synchronised');
  });

  it('resends on retry with the same seq and its newest revision, only while online and in flight', () => {
    const { client, sent } = text();
    client.submit(insert(1, 'X'));
    client.receive({ kind: 'remote', revision: 1, op: insert(0, 'R') });
    client.receive({ kind: 'retry', seq: 0 });
    expect(sent.at(-1)).toEqual({ kind: 'op', client: 'me', seq: 0, base: 1, op: insert(2, 'X') });
    client.receive({ kind: 'retry', seq: 5 });
    client.disconnected();
    client.receive({ kind: 'retry', seq: 0 });
    expect(sent).toHaveLength(2);
  });
});

describe('OTClient snapshot', () => {
  function away(pending: 'none' | 'inflight' | 'both') {
    const t = text('abc');
    if (pending !== 'none') t.client.submit(insert(3, 'X'));
    if (pending === 'both') t.client.submit(insert(0, 'Y'));
    t.client.disconnected();
    t.client.connected();
    t.sent.length = 0;
    return t;
  }

  it('adopts the snapshot when nothing is pending', () => {
    const { client, changes, sent } = away('none');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'server', receipt: { kind: 'none' } });
    expect(view(client)).toMatchObject({ document: 'server', confirmed: 'server', revision: 9, state: 'synchronised', connection: 'online' });
    expect(changes.at(-1)).toEqual({ kind: 'reset', origin: 'snapshot', before: 'abc', after: 'server' });
    expect(sent).toEqual([]);
  });

  it('drops the op in flight when the receipt says it was applied, and sends the buffer on the snapshot', () => {
    const { client, sent, rejects } = away('both');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abcX..', receipt: { kind: 'applied', seq: 0, revision: 4 } });
    expect(client.document).toBe('YabcX..');
    expect(sent).toEqual([{ kind: 'op', client: 'me', seq: 1, base: 9, op: insert(0, 'Y') }]);
    expect(rejects).toEqual([]);
  });

  it('re-applies ops the server never processed at their positions and sends them under a new seq', () => {
    const { client, sent } = away('both');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abcdef', receipt: { kind: 'applied', seq: 0, revision: 2 } });
    // seq 0 applied: only the buffer is pending.
    expect(client.document).toBe('Yabcdef');
    const fresh = away('both');
    fresh.client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abcdef', receipt: { kind: 'none' } });
    expect(fresh.client.document).toBe('YabcXdef');
    expect(fresh.sent).toEqual([{ kind: 'op', client: 'me', seq: 1, base: 9, op: ['Y', 3, 'X'] }]);
    expect(sent).toHaveLength(1);
  });

  it('rebases unsent ops over the difference when the type has diff', () => {
    const t = setup(withDiff(plainTextType, textDiff), 'abc');
    t.client.submit(insert(3, 'X'));
    t.client.disconnected();
    t.client.connected();
    t.client.receive({ kind: 'snapshot', revision: 9, snapshot: '>>abc', receipt: { kind: 'none' } });
    expect(t.client.document).toBe('>>abcX');
  });

  it('reports the op in flight as rejected when the receipt says so, keeping the buffer', () => {
    const { client, rejects } = away('both');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abc', receipt: { kind: 'rejected', seq: 0, reason: 'does-not-fit' } });
    expect(client.document).toBe('Yabc');
    expect(rejects).toEqual([expect.objectContaining({ seq: 0, reason: 'does-not-fit', op: insert(3, 'X') })]);
  });

  it('reports the op in flight as unconfirmed when the server forgot the client', () => {
    const { client, rejects } = away('inflight');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abcX', receipt: { kind: 'forgotten' } });
    expect(view(client)).toMatchObject({ document: 'abcX', state: 'synchronised' });
    expect(rejects).toEqual([expect.objectContaining({ seq: 0, reason: 'unconfirmed' })]);
  });

  it('reports unsent ops that no longer fit the snapshot as history-pruned', () => {
    const { client, rejects } = away('inflight');
    client.receive({ kind: 'snapshot', revision: 9, snapshot: 'a', receipt: { kind: 'none' } });
    expect(view(client)).toMatchObject({ document: 'a', state: 'synchronised' });
    expect(rejects).toEqual([expect.objectContaining({ seq: undefined, reason: 'history-pruned', op: insert(3, 'X') })]);
  });

  it('refuses a receipt naming an op newer than the one in flight, unchanged', () => {
    const { client } = away('inflight');
    const before = view(client);
    expect(() => client.receive({ kind: 'snapshot', revision: 9, snapshot: 'abc', receipt: { kind: 'applied', seq: 3, revision: 9 } })).toThrow(
      expect.objectContaining({ code: 'unexpected-message' }),
    );
    expect(view(client)).toEqual(before);
  });

  it('refuses a snapshot the type does not accept as invalid-op, unchanged', () => {
    const { client } = away('both');
    const before = view(client);
    expect(() => client.receive({ kind: 'snapshot', revision: 9, snapshot: 42, receipt: { kind: 'none' } })).toThrow(
      expect.objectContaining({ code: 'invalid-op' }),
    );
    expect(view(client)).toEqual(before);
  });
});

export type { Op };
