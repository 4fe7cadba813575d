/**
 * Found reviewing the surrogate checks of updates: a run could name as origins the two
 * halves of a surrogate pair brought by the same update, or a deletion could target one
 * half of such a pair; only items already present were checked, so the text ended up with
 * lone surrogates, and its encoding carried them to every replica that loaded it.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, fromJSON, Text } from '../../src/index.js';

const id = (replica: string, counter: number) => ({ replica, counter });

function frame(payload: unknown) {
  return { format: 'tandem', version: 1, type: 'text', payload };
}

describe('an update cannot split a surrogate pair it brings itself', () => {
  it('by inserting between its halves', () => {
    const json = frame({
      version: { y: 1, z: 2 },
      base: {},
      exact: false,
      runs: [
        { replica: 'y', counter: 1, length: 1, left: id('z', 1), right: id('z', 2), content: 'X' },
        { replica: 'z', counter: 1, length: 2, left: null, right: null, content: '😀' },
      ],
      deleted: [],
    });
    for (const doc of [new Text({ replica: 'fresh' }), new Text({ replica: 'a' }).insert(0, 'ab')]) {
      const before = doc.toString();
      expect(() => doc.apply(fromJSON(json))).toThrow(DecodeError);
      expect(doc.toString()).toBe(before);
    }
  });

  it('by deleting one half', () => {
    const doc = new Text({ replica: 'a' }).insert(0, 'ab');
    const json = frame({
      version: { a: 2, z: 3 },
      base: { a: 2 },
      exact: true,
      runs: [{ replica: 'z', counter: 1, length: 2, left: id('a', 1), right: id('a', 2), content: '😀' }],
      deletions: [{ replica: 'z', counter: 3, length: 1, target: id('z', 1), direction: 1 }],
    });
    expect(() => doc.apply(fromJSON(json))).toThrow(DecodeError);
    expect(doc.toString()).toBe('ab');
  });
});
