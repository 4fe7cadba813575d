import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Text, type DeltaOp } from '../../src/crdt/index.js';
import { applySplice, spliceBetween, transformIndex, transformThrough } from '../../demo/src/text-diff.js';
import { runs } from '../helpers/property.js';

/** Strings from a small alphabet with repeats, newlines and a surrogate pair. */
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'a', '\n', '😀'), maxLength: 16 });

describe('demo editor: spliceBetween', () => {
  it('turns the old value into the new one, and Text accepts it (no surrogate split)', () => {
    fc.assert(
      fc.property(text, text, fc.nat(), (before, after, seed) => {
        const caret = seed % (after.length + 1);
        const splice = spliceBetween(before, after, caret);
        if (before === after) {
          expect(splice).toBeUndefined();
          return;
        }
        expect(splice).toBeDefined();
        const { index, remove, insert } = splice!;
        expect(before.slice(0, index) + insert + before.slice(index + remove)).toBe(after);
        const doc = new Text({ replica: 'r' }).insert(0, before);
        doc.delete(index, remove).insert(index, insert);
        expect(doc.toString()).toBe(after);
      }),
      runs(500),
    );
  });

  it('puts a letter typed inside a run of that letter at the caret', () => {
    expect(spliceBetween('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' });
    expect(spliceBetween('aaa', 'aa', 1)).toEqual({ index: 1, remove: 1, insert: '' });
  });

  it('sees a paste over a selection as one replacement', () => {
    expect(spliceBetween('first line', 'first ROW', 9)).toEqual({ index: 6, remove: 4, insert: 'ROW' });
  });

  it('never cuts between the halves of a surrogate pair', () => {
    // '😀' and '😁' share their high surrogate: the splice must take both halves.
    expect(spliceBetween('x😀', 'x😁', 3)).toEqual({ index: 1, remove: 2, insert: '😁' });
    expect(spliceBetween('😀y', '😁y', 2)).toEqual({ index: 0, remove: 2, insert: '😁' });
  });
});

describe('demo editor: transformIndex', () => {
  it('moves an index as an anchor in the text moves, through remote inserts and deletes', () => {
    const edit = fc.tuple(fc.nat(), fc.string({ unit: fc.constantFrom('x', 'y'), minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom('insert', 'delete'), fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, seed, kind, edits) => {
        const author = new Text({ replica: 'author' }).insert(0, initial.replace(/😀/g, 'e'));
        const reader = new Text({ replica: 'reader' });
        reader.apply(author.encode());
        const start = seed % (reader.length + 1);
        const anchor = reader.anchor(start, 'before');
        let moved = start;
        reader.on('change', (change) => {
          moved = transformIndex(moved, change, 'before');
        });
        for (const [at, insert] of edits) {
          // Only inserts, or only deletes: an insert next to a deleted anchor has no single right answer.
          if (kind === 'insert') author.insert(at % (author.length + 1), insert);
          else if (author.length > 0) author.delete(at % author.length, Math.min(insert.length, author.length - (at % author.length)));
          reader.apply(author.encode(reader.version()));
        }
        expect(moved).toBe(reader.resolve(anchor));
      }),
      runs(300),
    );
  });

  it('keeps an index before text inserted at it for `before`, after it for `after`', () => {
    const delta = [{ retain: 2 }, { insert: 'xyz' }];
    expect(transformIndex(2, delta, 'before')).toBe(2);
    expect(transformIndex(2, delta, 'after')).toBe(5);
    expect(transformThrough(3, [delta, [{ delete: 4 }]], 'before')).toBe(2);
  });
});

describe('demo editor: applySplice', () => {
  it('a paste with a lone surrogate over a selection changes nothing, not even the delete', () => {
    const doc = new Text({ replica: 'r' }).insert(0, 'keep this text');
    const splice = spliceBetween('keep this text', 'keep \ud800 text', 6)!;
    expect(splice).toEqual({ index: 5, remove: 4, insert: '\ud800' });
    expect(applySplice(doc, splice, [])).toBe(false);
    expect(doc.toString()).toBe('keep this text');
  });

  it('applies a splice made before remote deltas where they moved it', () => {
    const doc = new Text({ replica: 'r' }).insert(0, 'hello world');
    const remote: DeltaOp<string>[][] = [];
    const off = doc.on('change', (change) => remote.push([...change]));
    // A remote-like edit the textarea did not see yet: text put before the splice.
    doc.insert(0, '>> ');
    off();
    // The textarea turned "hello world" into "hello, world".
    expect(applySplice(doc, spliceBetween('hello world', 'hello, world', 6)!, remote)).toBe(true);
    expect(doc.toString()).toBe('>> hello, world');
  });
});
