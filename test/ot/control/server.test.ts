import { describe, expect, it } from 'vitest';
import { OTServer, ProtocolError, type Envelope } from '../../../src/ot/control/index.js';
import { plainText, plainTextType } from './doubles.js';

const { insert, remove } = plainText;

function op(client: string, seq: number, base: number, change: unknown) {
  return { kind: 'op', client, seq, base, op: change } as const;
}

function hello(client: string, revision: number) {
  return { kind: 'hello', client, revision } as const;
}

/** A server with clients a, b and c joined at revision 0 over `text`. */
function serverWith(text = 'abc', options = {}) {
  const server = new OTServer(plainTextType, { snapshot: text, ...options });
  for (const c of ['a', 'b', 'c']) server.receive(hello(c, 0));
  return server;
}

function state(server: OTServer<string, unknown>) {
  return { revision: server.revision, snapshot: server.snapshot, floor: server.floor };
}

describe('OTServer', () => {
  it('applies an op on the current revision, acknowledges it to its author and broadcasts it to the others', () => {
    const server = serverWith();
    const out = server.receive(op('a', 0, 0, insert(1, 'X')));
    expect(server.snapshot).toBe('aXbc');
    expect(server.revision).toBe(1);
    expect(out).toEqual<Envelope<unknown>[]>([
      { to: 'a', message: { kind: 'ack', seq: 0, revision: 1 } },
      { to: 'b', message: { kind: 'remote', revision: 1, op: insert(1, 'X') } },
      { to: 'c', message: { kind: 'remote', revision: 1, op: insert(1, 'X') } },
    ]);
  });

  it('transforms an op made on an older revision over the ops applied since', () => {
    const server = serverWith();
    server.receive(op('a', 0, 0, insert(0, 'XY')));
    const out = server.receive(op('b', 0, 0, remove(1, 1)));
    expect(server.snapshot).toBe('XYac');
    expect(out[0]).toEqual({ to: 'b', message: { kind: 'ack', seq: 0, revision: 2 } });
    expect(out[1]).toEqual({ to: 'a', message: { kind: 'remote', revision: 2, op: remove(3, 1) } });
  });

  it('breaks a tie between inserts at one position by putting the op transformed on arrival left', () => {
    const server = serverWith('');
    server.receive(op('a', 0, 0, insert(0, 'A')));
    server.receive(op('b', 0, 0, insert(0, 'B')));
    expect(server.snapshot).toBe('BA');
  });

  it('acknowledges a resent op again with the revision it made, without applying it twice', () => {
    const server = serverWith();
    server.receive(op('a', 0, 0, insert(0, 'X')));
    server.receive(op('b', 0, 1, insert(0, 'Y')));
    const before = state(server);
    const out = server.receive(op('a', 0, 0, insert(0, 'X')));
    expect(out).toEqual([{ to: 'a', message: { kind: 'ack', seq: 0, revision: 1 } }]);
    expect(state(server)).toEqual(before);
  });

  it('ignores a copy of an op older than the last one it processed from that client', () => {
    const server = serverWith();
    server.receive(op('a', 0, 0, insert(0, 'X')));
    server.receive(op('a', 1, 1, insert(0, 'Y')));
    const before = state(server);
    expect(server.receive(op('a', 0, 0, insert(0, 'X')))).toEqual([]);
    expect(state(server)).toEqual(before);
  });

  it('rejects an op from a future revision, and the same op resent gets the same answer', () => {
    const server = serverWith();
    const before = state(server);
    const out = server.receive(op('a', 0, 5, insert(0, 'X')));
    expect(out).toEqual([{ to: 'a', message: expect.objectContaining({ kind: 'reject', seq: 0, reason: 'future-revision' }) }]);
    expect(state(server)).toEqual(before);
    expect(server.receive(op('a', 0, 5, insert(0, 'X')))).toEqual([
      { to: 'a', message: expect.objectContaining({ kind: 'reject', seq: 0, reason: 'future-revision' }) },
    ]);
  });

  it('rejects an op based one revision ahead, and accepts one based on the current revision', () => {
    const server = serverWith();
    server.receive(op('b', 0, 0, insert(0, 'B')));
    expect(server.receive(op('a', 0, 2, insert(0, 'X')))[0]!.message).toMatchObject({ kind: 'reject', reason: 'future-revision' });
    expect(server.receive(op('a', 1, 1, insert(0, 'X')))[0]!.message).toEqual({ kind: 'ack', seq: 1, revision: 2 });
  });

  it.each([
    ['not an array', { d: 3 }],
    ['a number', 7],
    ['undefined', undefined],
    ['a bad component', [true]],
    ['an empty insert', [1, '']],
  ])('rejects a malformed op (%s) as invalid-op and stays unchanged', (_, bad) => {
    const server = serverWith();
    server.receive(op('a', 0, 0, insert(0, 'X')));
    const before = state(server);
    const out = server.receive(op('b', 0, 0, bad));
    expect(out).toEqual([{ to: 'b', message: expect.objectContaining({ kind: 'reject', seq: 0, reason: 'invalid-op' }) }]);
    expect(state(server)).toEqual(before);
  });

  it('rejects an op that does not fit the document as does-not-fit and stays unchanged', () => {
    const server = serverWith('abc');
    const before = state(server);
    const out = server.receive(op('a', 0, 0, remove(2, 5)));
    expect(out).toEqual([{ to: 'a', message: expect.objectContaining({ kind: 'reject', reason: 'does-not-fit' }) }]);
    expect(state(server)).toEqual(before);
    expect(server.receive(op('a', 1, 0, insert(1, 'X')))[0]!.message).toEqual({ kind: 'ack', seq: 1, revision: 1 });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['an unknown kind', { kind: 'gossip', client: 'a' }],
    ['a missing client', { kind: 'hello', revision: 0 }],
    ['an empty client', { kind: 'hello', client: '', revision: 0 }],
    ['a too long client', { kind: 'hello', client: 'x'.repeat(65), revision: 0 }],
    ['a negative revision', { kind: 'hello', client: 'a', revision: -1 }],
    ['a fractional seq', { kind: 'op', client: 'a', seq: 0.5, base: 0, op: [] }],
    ['an unsafe base', { kind: 'op', client: 'a', seq: 0, base: 2 ** 53, op: [] }],
    ['a string seq', { kind: 'op', client: 'a', seq: '0', base: 0, op: [] }],
    ['no op', { kind: 'op', client: 'a', seq: 0, base: 0 }],
  ])('refuses a malformed message (%s) with ProtocolError, unchanged', (_, message) => {
    const server = serverWith();
    server.receive(op('a', 0, 0, insert(0, 'X')));
    const before = { ...state(server), clients: server.clients };
    expect(() => server.receive(message)).toThrow(expect.objectContaining({ name: 'ProtocolError', code: 'malformed-message' }));
    expect({ ...state(server), clients: server.clients }).toEqual(before);
  });

  it('answers a hello with the missed ops, the client’s own as acknowledgements, then ready', () => {
    const server = serverWith('');
    server.leave('a');
    server.receive(op('b', 0, 0, insert(0, 'B')));
    server.receive(op('a', 0, 0, insert(0, 'A')));
    server.receive(op('c', 0, 2, insert(0, 'C')));
    expect(server.receive(hello('a', 0))).toEqual([
      { to: 'a', message: { kind: 'remote', revision: 1, op: insert(0, 'B') } },
      { to: 'a', message: { kind: 'ack', seq: 0, revision: 2 } },
      { to: 'a', message: { kind: 'remote', revision: 3, op: insert(0, 'C') } },
      { to: 'a', message: { kind: 'ready', revision: 3 } },
    ]);
    expect(server.receive(hello('b', 3))).toEqual([{ to: 'b', message: { kind: 'ready', revision: 3 } }]);
  });

  it('processes an op from a client that has not joined but sends it nothing, nor broadcasts to it', () => {
    const server = serverWith('');
    server.leave('a');
    const out = server.receive(op('a', 0, 0, insert(0, 'A')));
    expect(out.map((e) => e.to)).toEqual(['b', 'c']);
    expect(server.receive(op('b', 0, 1, insert(0, 'B'))).map((e) => e.to)).toEqual(['b', 'c']);
    expect(server.clients).toEqual(['b', 'c']);
  });

  it('keeps only `retention` ops and answers a hello from further back with a snapshot', () => {
    const server = serverWith('', { retention: 2 });
    for (let i = 0; i < 5; i++) server.receive(op('b', i, i, insert(0, String(i))));
    expect(server.floor).toBe(3);
    expect(server.receive(hello('a', 3)).map((e) => e.message.kind)).toEqual(['remote', 'remote', 'ready']);
    expect(server.receive(hello('a', 2))).toEqual([
      { to: 'a', message: { kind: 'snapshot', revision: 5, snapshot: '43210', receipt: { kind: 'none' } } },
    ]);
    expect(server.receive(hello('b', 0))).toEqual([
      { to: 'b', message: { kind: 'snapshot', revision: 5, snapshot: '43210', receipt: { kind: 'applied', seq: 4, revision: 5 } } },
    ]);
  });

  it('answers a hello from a revision it never reached with a snapshot', () => {
    const server = serverWith('xy');
    expect(server.receive(hello('a', 9))[0]!.message).toEqual({ kind: 'snapshot', revision: 0, snapshot: 'xy', receipt: { kind: 'none' } });
  });

  it('tells a client in its snapshot receipt that its last op was rejected', () => {
    const server = serverWith('', { retention: 0 });
    server.receive(op('a', 3, 0, remove(0, 4)));
    server.receive(op('b', 0, 0, insert(0, 'B')));
    expect(server.receive(hello('a', 0))[0]!.message).toEqual({
      kind: 'snapshot',
      revision: 1,
      snapshot: 'B',
      receipt: { kind: 'rejected', seq: 3, reason: 'does-not-fit' },
    });
  });

  it('answers an op based before the retained history with retry, and applies it resent on a newer base', () => {
    const server = serverWith('', { retention: 1 });
    server.receive(op('b', 0, 0, insert(0, 'B')));
    server.receive(op('b', 1, 1, insert(0, 'C')));
    const before = state(server);
    expect(server.receive(op('a', 0, 0, insert(0, 'A')))).toEqual([{ to: 'a', message: { kind: 'retry', seq: 0 } }]);
    expect(state(server)).toEqual(before);
    expect(server.receive(op('a', 0, 2, insert(2, 'A')))[0]!.message).toEqual({ kind: 'ack', seq: 0, revision: 3 });
    expect(server.snapshot).toBe('CBA');
  });

  it('prune keeps the newest ops, and compacts its log without losing them', () => {
    const server = serverWith('', { retention: 1000 });
    for (let i = 0; i < 200; i++) server.receive(op('b', i, i, insert(0, 'x')));
    server.prune(150);
    expect(server.floor).toBe(50);
    server.prune(100);
    expect(server.floor).toBe(100);
    const out = server.receive(op('a', 0, 100, insert(100, 'A')));
    expect(out[0]!.message).toEqual({ kind: 'ack', seq: 0, revision: 201 });
    expect(server.snapshot.indexOf('A')).toBe(200);
    expect(server.receive(hello('c', 100)).length).toBe(102);
    expect(() => server.prune(-1)).toThrow(RangeError);
  });

  it('forgets the least recently active client when its table is full, and never re-applies that client’s op', () => {
    const server = serverWith('', { maxClients: 1 });
    server.receive(op('a', 0, 0, insert(0, 'A')));
    server.receive(op('b', 0, 1, insert(0, 'B')));
    // a's outcome is evicted; a copy of its op arrives late, based before the eviction.
    const before = state(server);
    expect(server.receive(op('a', 0, 0, insert(0, 'A')))).toEqual([{ to: 'a', message: { kind: 'retry', seq: 0 } }]);
    expect(state(server)).toEqual(before);
    server.leave('a');
    expect(server.receive(hello('a', 0))[0]!.message).toMatchObject({ kind: 'ack', seq: 0, revision: 1 });
    server.prune(0);
    expect(server.receive(hello('a', 0))[0]!.message).toMatchObject({ kind: 'snapshot', receipt: { kind: 'forgotten' } });
    expect(server.receive(hello('c', 2))[0]!.message).toMatchObject({ kind: 'ready' });
  });

  it('validates its options', () => {
    expect(() => new OTServer(plainTextType, { retention: -1 })).toThrow(RangeError);
    expect(() => new OTServer(plainTextType, { maxClients: 0 })).toThrow(RangeError);
    expect(() => new OTServer(plainTextType, { revision: 1.5 })).toThrow(RangeError);
    expect(new OTServer(plainTextType, { revision: 7 }).revision).toBe(7);
    expect(new OTServer(plainTextType).snapshot).toBe('');
  });

  it('is a ProtocolError carrying its code', () => {
    const error = new ProtocolError('revision-gap', 'skipped');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('revision-gap: skipped');
  });
});
