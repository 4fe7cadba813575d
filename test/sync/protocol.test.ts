import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, resolveLimits } from '../../src/codec/index.js';
import { decodeMessage, encodeMessage, messageFromJSONTwin, messageToJSON, type Message } from '../../src/sync/index.js';
import { runs } from '../helpers/property.js';

const LIMITS = resolveLimits(undefined);

const EXAMPLES: Message[] = [
  { kind: 'hello', protocol: 1, client: 'alice', token: 'secret' },
  { kind: 'hello', protocol: 1, client: 'bob', token: null },
  { kind: 'welcome', protocol: 1, heartbeat: 10000 },
  { kind: 'subscribe', doc: 'notes', type: 'text', version: { alice: 3, bob: 1 } },
  { kind: 'synced', doc: 'notes', version: { bob: 2 }, update: new Uint8Array([1, 2, 3]), writable: true },
  { kind: 'unsubscribe', doc: 'notes' },
  { kind: 'update', doc: 'notes', seq: 12, update: new Uint8Array([0x54, 0x44]) },
  { kind: 'ack', doc: 'notes', seq: 12 },
  { kind: 'ot', doc: 'draft', message: { kind: 'op', client: 'a', seq: 1, base: 0, op: [{ insert: 'hi' }] } },
  { kind: 'presence', doc: 'notes', client: '', state: { name: 'Ann', cursor: 4 } },
  { kind: 'presence', doc: 'notes', client: 'bob', state: null },
  { kind: 'join', channel: 'board' },
  { kind: 'leave', channel: 'board' },
  { kind: 'action', channel: 'board', client: 'a', action: { type: 'todo/added', payload: { title: 'milk' } } },
  { kind: 'error', code: 'forbidden', message: 'not allowed', doc: 'notes', seq: 0 },
  { kind: 'ping', nonce: 7 },
  { kind: 'pong', nonce: 7 },
];

describe('sync protocol frames', () => {
  it.each(EXAMPLES.map((m) => [m.kind, m] as const))('%s round-trips through bytes and the JSON twin', (_, message) => {
    const bytes = encodeMessage(message);
    expect(decodeMessage(bytes, LIMITS)).toEqual(message);
    const json = messageToJSON(bytes);
    expect(json.type).toBe(`sync-${message.kind}`);
    expect(messageFromJSONTwin(JSON.parse(JSON.stringify(json)))).toEqual(bytes);
  });

  it('gives a DecodeError for every truncation and bit flip, never a wrong message silently', () => {
    for (const message of EXAMPLES) {
      const bytes = encodeMessage(message);
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => decodeMessage(bytes.subarray(0, cut), LIMITS)).toThrow(DecodeError);
      }
      for (let i = 0; i < bytes.length; i++) {
        const flipped = bytes.slice();
        flipped[i]! ^= 0x10;
        expect(() => decodeMessage(flipped, LIMITS)).toThrow(DecodeError);
      }
    }
  });

  it('refuses garbage with a DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeMessage(bytes, LIMITS);
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
        }
      }),
      runs(300),
    );
  });

  it('refuses fields that break the rules: an empty doc id, an unknown error code, an action without a type', () => {
    const bad: unknown[] = [
      { kind: 'subscribe', doc: '', type: 'text', version: {} },
      { kind: 'error', code: 'oops', message: '', doc: '', seq: 0 },
      { kind: 'action', channel: 'c', client: '', action: { payload: 1 } },
      { kind: 'hello', protocol: 1, client: '', token: null },
    ];
    for (const message of bad) {
      const bytes = encodeMessage(message as Message);
      expect(() => decodeMessage(bytes, LIMITS)).toThrow(DecodeError);
    }
  });
});
