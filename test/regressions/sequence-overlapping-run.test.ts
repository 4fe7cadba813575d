/**
 * Found by a fuzzer that mutates counters in the JSON twins of valid updates: a run whose
 * first items the replica had already seen was trimmed to its unseen part, and the cut
 * fell inside a surrogate pair. The text then held a lone surrogate and the replica could
 * never encode its state again. The same happens without forging when a replica id is
 * reused after restoring from an empty backup, so the update must be refused.
 */
import { describe, expect, it } from 'vitest';
import { DecodeError, Text } from '../../src/index.js';

describe('a run that rewrites items the replica has seen', () => {
  it('is refused, leaving the text whole and encodable', () => {
    const r1 = new Text({ replica: 'r1' });
    r1.insert(0, '𝄞a');
    const a = new Text({ replica: 'a' });
    a.apply(r1.encode());
    const before = Buffer.from(a.encode()).toString('hex');
    const reused = new Text({ replica: 'r1' });
    reused.insert(0, 'xx😀');
    expect(() => a.apply(reused.encode())).toThrow(DecodeError);
    expect(a.toString()).toBe('𝄞a');
    expect(Buffer.from(a.encode()).toString('hex')).toBe(before);
  });
});
