import { describe, expect, it } from 'vitest';
import { fromJSON } from '../../src/index.js';

/**
 * Found by the JSON twin tests: a counter's binary entries name their replica only by
 * position in the sorted replica table, so `fromJSON` used to write an unsorted entry list
 * as is, silently giving b's count to a. It must refuse the list instead.
 */
describe('regression: counter JSON twin with unsorted entries', () => {
  it('is refused rather than reassigning counts between replicas', () => {
    const json = {
      format: 'tandem',
      version: 1,
      type: 'gcounter',
      payload: { entries: [{ replica: 'b', p: 5 }, { replica: 'a', p: 1 }] },
    };
    expect(() => fromJSON(json)).toThrow(expect.objectContaining({ name: 'DecodeError', code: 'non-canonical' }));
  });
});
