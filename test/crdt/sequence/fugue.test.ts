/**
 * Interleaving: the scenarios of Weidner, Gentle and Kleppmann, "The Art of the Fugue"
 * (forward typing, backward typing by repeated insertion at one index, both mixed, and
 * insertions between items of earlier concurrent runs), and the property that each run
 * typed concurrently at one place stays contiguous, whatever the merge order. Finally
 * the merged text is compared with diamond-types, which orders concurrent insertions
 * the same way (FugueMax, ties broken by replica name).
 */
import { Doc as DiamondDoc } from 'diamond-types-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Text } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';
import { whole } from '../adapters.js';

type Direction = 'forwards' | 'backwards';

/**
 * Types `text` at `index` one piece at a time: forwards, each piece after the previous
 * one; backwards, each piece at `index`, so that the last piece ends up first.
 */
function type(doc: Text, index: number, pieces: readonly string[], direction: Direction): void {
  if (direction === 'forwards') {
    let at = index;
    for (const piece of pieces) {
      doc.insert(at, piece);
      at += piece.length;
    }
  } else {
    for (const piece of [...pieces].reverse()) doc.insert(index, piece);
  }
}

function chars(text: string): string[] {
  return [...text];
}

/** Replicas that loaded `base`'s state. */
function forks(base: Text, ...ids: string[]): Text[] {
  return ids.map((id) => {
    const doc = new Text({ replica: id });
    doc.apply(base.encode());
    return doc;
  });
}

/** Every replica receives every other replica's changes since `base`, in the given order. */
function exchange(base: Text, docs: readonly Text[]): void {
  const since = base.version();
  const updates = docs.map((d) => d.encode(since));
  for (const doc of docs) for (const update of updates) doc.apply(update);
}

describe('Fugue: concurrent runs at one place do not interleave', () => {
  const base = new Text({ replica: 'base' });
  base.insert(0, '[]');

  for (const [da, db] of [
    ['forwards', 'forwards'],
    ['backwards', 'backwards'],
    ['forwards', 'backwards'],
    ['backwards', 'forwards'],
  ] as const) {
    it(`alice types ${da}, bob types ${db}, both between the brackets`, () => {
      const [alice, bob] = forks(base, 'alice', 'bob');
      type(alice!, 1, chars('hello'), da);
      type(bob!, 1, chars('world'), db);
      expect(alice!.toString()).toBe('[hello]');
      expect(bob!.toString()).toBe('[world]');
      exchange(base, [alice!, bob!]);
      expect(alice!.toString()).toBe(bob!.toString());
      expect(['[helloworld]', '[worldhello]']).toContain(alice!.toString());
    });
  }

  it('three replicas typing backwards at the start of an empty document', () => {
    const empty = new Text({ replica: 'base' });
    const docs = forks(empty, 'a', 'b', 'c');
    const words = ['one', 'two', 'six'];
    docs.forEach((doc, i) => type(doc, 0, chars(words[i]!), 'backwards'));
    exchange(empty, docs);
    const text = docs[0]!.toString();
    for (const doc of docs) expect(doc.toString()).toBe(text);
    expect(text).toHaveLength(9);
    for (const word of words) expect(text).toContain(word);
  });

  it('inserting between two items of an earlier run: both new runs stay whole, between them', () => {
    const [alice, bob] = forks(base, 'alice', 'bob');
    type(alice!, 1, chars('abc'), 'forwards');
    bob!.apply(alice!.encode());
    const since = new Text({ replica: 'base2' });
    since.apply(alice!.encode());
    type(alice!, 2, chars('XYZ'), 'forwards');
    type(bob!, 2, chars('123'), 'backwards');
    exchange(since, [alice!, bob!]);
    expect(alice!.toString()).toBe(bob!.toString());
    expect(['[aXYZ123bc]', '[a123XYZbc]']).toContain(alice!.toString());
  });

  it('inserting between items typed by two different replicas', () => {
    // 'a' by alice, then 'c' after it by bob: left and right origins of the new runs
    // come from different replicas.
    const [alice, bob, carol] = forks(base, 'alice', 'bob', 'carol');
    alice!.insert(1, 'a');
    bob!.apply(alice!.encode());
    bob!.insert(2, 'c');
    const mid = new Text({ replica: 'mid' });
    mid.apply(bob!.encode());
    for (const doc of [alice!, carol!]) doc.apply(mid.encode());
    type(alice!, 2, chars('111'), 'forwards');
    type(bob!, 2, chars('222'), 'backwards');
    type(carol!, 2, chars('333'), 'forwards');
    exchange(mid, [alice!, bob!, carol!]);
    const text = alice!.toString();
    expect(bob!.toString()).toBe(text);
    expect(carol!.toString()).toBe(text);
    expect(text).toMatch(/^\[a(111|222|333){3}c\]$/);
    for (const run of ['111', '222', '333']) expect(text).toContain(run);
  });

  it('continuing one run while another replica inserts at its end: both stay whole', () => {
    // alice and bob type concurrently at one place; after merging, alice continues her
    // word while carol, concurrently, types at the same index (between the two words).
    const [alice, bob, carol] = forks(base, 'alice', 'bob', 'carol');
    type(alice!, 1, chars('hello'), 'forwards');
    type(bob!, 1, chars('world'), 'forwards');
    exchange(base, [alice!, bob!]);
    carol!.apply(alice!.encode());
    const merged = new Text({ replica: 'merged' });
    merged.apply(alice!.encode());
    const at = alice!.toString().indexOf('hello') + 5;
    type(alice!, at, chars(' there'), 'forwards');
    type(carol!, at, chars('---'), 'backwards');
    exchange(merged, [alice!, carol!]);
    bob!.apply(alice!.encode(bob!.version()));
    bob!.apply(carol!.encode(bob!.version()));
    const text = alice!.toString();
    expect(carol!.toString()).toBe(text);
    expect(bob!.toString()).toBe(text);
    for (const run of ['hello', 'world', ' there', '---']) expect(text).toContain(run);
    // Both new runs went in where 'hello' ended, before 'world' or whatever followed it.
    const end = text.indexOf('hello') + 5;
    expect([' there---', '--- there']).toContain(text.slice(end, end + 9));
  });

  it('astral characters typed concurrently stay whole and uninterleaved', () => {
    const [alice, bob] = forks(base, 'alice', 'bob');
    type(alice!, 1, chars('😀😁😂'), 'backwards');
    type(bob!, 1, chars('𝄞𝄢'), 'forwards');
    exchange(base, [alice!, bob!]);
    expect(['[😀😁😂𝄞𝄢]', '[𝄞𝄢😀😁😂]']).toContain(alice!.toString());
    expect(bob!.toString()).toBe(alice!.toString());
  });
});

describe('FugueMax tie-break', () => {
  /** The merged text when each replica id types its word at index 1 of '[]'. */
  function race(words: Record<string, string>, order: readonly string[]): string {
    const base = new Text({ replica: 'base' });
    base.insert(0, '[]');
    const docs = new Map(Object.keys(words).map((id) => [id, forks(base, id)[0]!]));
    for (const [id, doc] of docs) type(doc, 1, chars(words[id]!), 'forwards');
    const observer = forks(base, 'observer')[0]!;
    for (const id of order) observer.apply(docs.get(id)!.encode(base.version()));
    return observer.toString();
  }

  it('is the same whatever the merge order, and depends on the replica ids, not the content', () => {
    const ab = race({ a: 'xx', b: 'yy' }, ['a', 'b']);
    expect(race({ a: 'xx', b: 'yy' }, ['b', 'a'])).toBe(ab);
    // Swapping who types what swaps the words: the ids decide the order.
    const swapped = race({ a: 'yy', b: 'xx' }, ['b', 'a']);
    expect(swapped).toBe(ab === '[xxyy]' ? '[yyxx]' : '[xxyy]');
  });

  it('orders three concurrent runs consistently with every pair of them', () => {
    const words = { p: 'P', q: 'Q', r: 'R' };
    const pairs = [
      ['p', 'q'],
      ['q', 'r'],
      ['p', 'r'],
    ] as const;
    const before = (x: string, y: string) => {
      const text = race({ [x]: words[x as keyof typeof words], [y]: words[y as keyof typeof words] }, [y, x]);
      return text.indexOf(words[x as keyof typeof words]) < text.indexOf(words[y as keyof typeof words]);
    };
    const three = race(words, ['r', 'p', 'q']);
    expect(race(words, ['q', 'r', 'p'])).toBe(three);
    for (const [x, y] of pairs) {
      expect(three.indexOf(words[x]) < three.indexOf(words[y])).toBe(before(x, y));
    }
  });
});

describe('Fugue property: concurrent runs at one place are contiguous after any merge order', () => {
  /** Alphabets for up to five replicas, disjoint, so each character tells its author. */
  const alphabets = ['abcd', 'ABCD', '0123', '😀😁😂🙂', 'xyz,'];

  const typing = fc.integer({ min: 2, max: 5 }).chain((n) =>
    fc.record({
      base: fc.string({ unit: fc.constantFrom('.', '-', '|'), maxLength: 6 }),
      at: fc.nat(),
      runs: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            // Pieces of one to three characters, typed one after the other.
            pieces: fc.array(
              fc.array(fc.constantFrom(...chars(alphabets[i]!)), { minLength: 1, maxLength: 3 }).map((cs) => cs.join('')),
              { minLength: 1, maxLength: 8 },
            ),
            direction: fc.constantFrom<Direction>('forwards', 'backwards'),
          }),
        ),
      ),
      orders: fc.array(fc.array(fc.nat(), { minLength: n, maxLength: n }), { minLength: n + 1, maxLength: n + 1 }),
    }),
  );

  it('2 to 5 replicas, forwards or backwards, pieces of several characters', () => {
    fc.assert(
      fc.property(typing, ({ base: start, at, runs: typed, orders }) => {
        const base = new Text({ replica: 'base' });
        if (start.length > 0) base.insert(0, start);
        const index = at % (start.length + 1);
        const ids = typed.map((_, i) => `r${(i * 7) % 5}${i}`);
        const docs = forks(base, ...ids);
        const texts = typed.map((run) => run.pieces.join(''));
        typed.forEach((run, i) => {
          type(docs[i]!, index, run.pieces, run.direction);
          expect(docs[i]!.toString()).toBe(start.slice(0, index) + texts[i] + start.slice(index));
        });
        const since = base.version();
        const updates = docs.map((d) => d.encode(since));
        // Every replica, and an observer, merge the updates in a random order, some twice.
        const observer = forks(base, 'observer')[0]!;
        [...docs, observer].forEach((doc, k) => {
          const order = orders[k]!.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
          for (const [x, i] of order) {
            doc.apply(updates[i]!);
            if (x % 3 === 0) doc.apply(updates[i]!);
          }
        });
        const text = observer.toString();
        for (const doc of docs) expect(doc.toString()).toBe(text);
        // The base is intact around the runs, and each run is one contiguous block.
        const middle = text.slice(index, text.length - (start.length - index));
        expect(text.slice(0, index) + text.slice(index + middle.length)).toBe(start);
        expect(middle.length).toBe(texts.reduce((n, t) => n + t.length, 0));
        for (const t of texts) expect(middle).toContain(t);
      }),
      runs(150),
    );
  });
});

describe('FugueMax against diamond-types (an independent implementation by one of the paper\u2019s authors)', () => {
  type Step = readonly ['insert', number, number, string] | readonly ['delete', number, number, number] | readonly ['merge', number, number];
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constant('insert' as const), fc.nat(2), fc.nat(), fc.constantFrom('a', 'bc', 'def', '😀', 'x𝄞')) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('delete' as const), fc.nat(2), fc.nat(), fc.integer({ min: 1, max: 3 })) },
    { weight: 1, arbitrary: fc.tuple(fc.constant('merge' as const), fc.nat(2), fc.nat(2)) },
  );

  it('three replicas editing concurrently, astral characters included, give the same text at every step', () => {
    fc.assert(
      fc.property(fc.constantFrom(['alice', 'bob', 'carol'], ['zed', 'Amy', 'bob'], ['b', 'a', 'ab']), fc.array(step, { maxLength: 40 }), (names, steps) => {
        const ours = names.map((replica) => new Text({ replica }));
        const theirs = names.map((agent) => new DiamondDoc(agent));
        // diamond-types counts code points; Text counts UTF-16 code units.
        const points = (text: string, index: number) => [...text.slice(0, index)].length;
        try {
          for (const s of steps) {
            if (s[0] === 'insert') {
              const text = ours[s[1]]!.toString();
              const at = whole(text, s[2] % (text.length + 1));
              ours[s[1]]!.insert(at, s[3]);
              theirs[s[1]]!.ins(points(text, at), s[3]);
            } else if (s[0] === 'delete') {
              const text = ours[s[1]]!.toString();
              if (text.length === 0) continue;
              const at = whole(text, s[2] % text.length);
              const end = Math.max(at + 1, whole(text, Math.min(text.length, at + s[3])));
              const stop = end < text.length && whole(text, end) !== end ? end + 1 : end;
              ours[s[1]]!.delete(at, stop - at);
              theirs[s[1]]!.del(points(text, at), points(text, stop) - points(text, at));
            } else if (s[1] !== s[2]) {
              ours[s[2]]!.apply(ours[s[1]]!.encode(ours[s[2]]!.version()));
              theirs[s[2]]!.mergeBytes(theirs[s[1]]!.toBytes());
            }
            for (let i = 0; i < names.length; i++) expect(ours[i]!.toString()).toBe(theirs[i]!.get());
          }
          for (let round = 0; round < 2; round++) {
            for (let i = 0; i < names.length; i++) {
              for (let j = 0; j < names.length; j++) {
                if (i === j) continue;
                ours[j]!.apply(ours[i]!.encode(ours[j]!.version()));
                theirs[j]!.mergeBytes(theirs[i]!.toBytes());
              }
            }
          }
          for (let i = 0; i < names.length; i++) expect(ours[i]!.toString()).toBe(theirs[i]!.get());
        } finally {
          for (const doc of theirs) doc.free();
        }
      }),
      runs(100),
    );
  });
});
