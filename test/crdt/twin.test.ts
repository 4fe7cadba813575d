import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AWSet, DecodeError, fromJSON, toJSON } from '../../src/index.js';
import { runs } from '../helpers/property.js';
import { adapters } from './adapters.js';
import { play, scenario } from './network.js';

describe.each(adapters)('$name JSON twin', (adapter) => {
  it('bytes -> JSON text -> bytes is the identity, for whole states and deltas', () => {
    fc.assert(
      fc.property(scenario(adapter, 2, 3, 40), ({ replicas, actions }) => {
        const [a, b] = play(adapter, replicas, actions).replicas;
        for (const bytes of [a!.encode(), b!.encode(a!.version()), b!.encode()]) {
          const json = toJSON(bytes);
          expect(json.type).toBe(adapter.name === 'TwoPhaseSet' ? '2p-set' : json.type);
          const text = JSON.stringify(json);
          const back = fromJSON(JSON.parse(text));
          expect(Buffer.from(back).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
          expect(JSON.stringify(toJSON(back))).toBe(text);
        }
      }),
      runs(100),
    );
  });
});

describe('JSON twin validation', () => {
  it('refuses envelopes and payloads that break a rule, with DecodeError', () => {
    const good = toJSON(adapters[6]!.create('a', () => 0).encode());
    const bad: unknown[] = [
      null,
      [],
      { ...good, format: 'yjs' },
      { ...good, version: 2 },
      { ...good, type: 'nope' },
      { ...good, payload: null },
      { ...good, payload: { ...(good.payload as object), context: { a: -1 } } },
      { ...good, payload: { ...(good.payload as object), context: { '': 1 } } },
      { ...good, payload: { ...(good.payload as object), entries: [{ replica: 'a', counter: 1, value: 1 }] } },
      { ...good, payload: { ...(good.payload as object), dead: { a: [[2, 1]] } } },
    ];
    for (const json of bad) {
      expect(() => fromJSON(json)).toThrow(DecodeError);
    }
  });

  it('refuses fields the format does not define, instead of dropping them', () => {
    const counter = { format: 'tandem', version: 1, type: 'gcounter', payload: { entries: [{ replica: 'a', p: 1 }] } };
    expect(() => fromJSON(counter)).not.toThrow();
    const withN = { ...counter, payload: { entries: [{ replica: 'a', p: 1, n: 2 }] } };
    expect(() => fromJSON(withN)).toThrow(expect.objectContaining({ code: 'invalid-value', message: expect.stringMatching(/"n"/) }));
    expect(() => fromJSON({ ...counter, comment: 'hi' })).toThrow(DecodeError);
    expect(() => fromJSON({ ...counter, payload: { entries: [], extra: 1 } })).toThrow(DecodeError);
    const set = new AWSet<string>({ replica: 'a' });
    set.add('x');
    const json = toJSON(set.encode()) as { payload: { entries: Record<string, unknown>[] } };
    json.payload.entries[0]!.kind = 'add';
    expect(() => fromJSON(json)).toThrow(DecodeError);
  });

  it('refuses unsorted entries: the JSON twin is as strict as the binary form', () => {
    const sorted = {
      format: 'tandem',
      version: 1,
      type: 'pncounter',
      payload: { entries: [{ replica: 'a', p: 1, n: 0 }, { replica: 'b', p: 5, n: 0 }] },
    };
    expect(toJSON(fromJSON(sorted))).toEqual(sorted);
    const entries = sorted.payload.entries;
    for (const list of [[entries[1], entries[0]], [entries[0], entries[0]]]) {
      expect(() => fromJSON({ ...sorted, payload: { entries: list } })).toThrow(expect.objectContaining({ code: 'non-canonical' }));
    }
  });
});
