/**
 * Found writing test/crdt/sequence/robustness.test.ts: a JSON twin whose origins or events
 * lie outside its version was refused by the binary writer's internal checks, with
 * messages that did not name the rule broken.
 */
import { describe, expect, it } from 'vitest';
import { fromJSON } from '../../src/index.js';

const frame = (runs: unknown[], version: Record<string, number>) => ({
  format: 'tandem',
  version: 1,
  type: 'text',
  payload: { version, base: { a: 7 }, exact: true, runs, deletions: [] },
});

describe('the JSON twin of a sequence update names the rule it breaks', () => {
  it('an origin of a replica outside the version', () => {
    const json = frame([{ replica: 'z', counter: 1, length: 1, left: { replica: 'ghost', counter: 1 }, right: null, content: 'X' }], { a: 7, z: 1 });
    expect(() => fromJSON(json)).toThrow(/origins \(ghost, 1\.\.1\) lie outside the frame's version/);
  });

  it('an event at or below the base', () => {
    const json = frame([{ replica: 'a', counter: 7, length: 1, left: { replica: 'a', counter: 2 }, right: null, content: 'X' }], { a: 8 });
    expect(() => fromJSON(json)).toThrow(/events \(a, 7\.\.7\) lie outside the frame's base and version/);
  });
});
