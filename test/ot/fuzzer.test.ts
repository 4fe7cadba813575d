/**
 * ot-fuzzer (the ottypes fuzzer) on both ShareDB types: 10,000 iterations each, every one
 * generating ops on three sites and checking apply, compose, transform (diamond and n²)
 * against expected snapshots computed without `type.apply` (a string model for plain
 * text, Quill's compose for rich text).
 *
 * Seeded: the fuzzer's generator is seedrandom(process.env.SEED), set here from
 * OT_FUZZER_SEED (default 1) before the fuzzer loads, and the generators below draw only
 * from it, so `OT_FUZZER_SEED=<seed> npx vitest run test/ot/fuzzer.test.ts` replays a
 * failure. On a failure the fuzzer also leaves fuzzercrash.data in the working directory
 * and resumes from it on the next run.
 *
 * The fuzzer calls `invert(op)` without the document, which a Quill op that deletes
 * cannot support (it does not carry the deleted text), so the types run without
 * `invert`; the property tests in laws.test.ts cover `invert(op, doc)`.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { richTextType, textType, type AttributeMap, type Component, type RichTextDocument, type TextOp } from '../../src/ot/index.js';
import { LONG } from '../helpers/property.js';
import { modelApplyRich, modelApplyText } from './arbitraries.js';

const SEED = process.env.OT_FUZZER_SEED ?? '1';
process.env.SEED = SEED;
type Fuzzer = ((type: object, generate: (doc: never) => [unknown, unknown], iterations: number) => void) & {
  randomInt(n: number): number;
  randomWord(): string;
};
const fuzzer = createRequire(import.meta.url)('ot-fuzzer') as Fuzzer;
const ITERATIONS = LONG ? 100_000 : 10_000;

const { randomInt, randomWord } = fuzzer;

/** Random text: words from the fuzzer's corpus, sometimes with an emoji (a surrogate pair). */
function randomText(): string {
  const word = randomWord() || 'x';
  return randomInt(6) === 0 ? `${word}😀` : word;
}

/** A length from `pos` that does not end inside a surrogate pair of `doc`. */
function span(doc: string, pos: number, max: number): number {
  let n = Math.min(max, doc.length - pos);
  if (n > 0 && /[\udc00-\udfff]/.test(doc[pos + n] ?? '')) n++;
  return n;
}

/**
 * Components of a random op over `doc`: shrinks long documents, grows short ones. The
 * attribute functions give inserts and retains their attributes (always undefined for
 * plain text).
 */
function randomComponents(
  doc: string,
  insertAttributes: () => AttributeMap | undefined,
  retainAttributes: () => AttributeMap | undefined,
): Component[] {
  const op: Component[] = [];
  let pos = 0;
  const steps = 1 + randomInt(4);
  for (let i = 0; i < steps; i++) {
    const kind = randomInt(doc.length > 200 ? 5 : 4);
    if (kind === 0) {
      const insert = randomText();
      const a = insertAttributes();
      op.push(a === undefined ? { insert } : { insert, attributes: a });
      continue;
    }
    const n = span(doc, pos, 1 + randomInt(kind >= 3 ? 20 : 8));
    if (n === 0) continue;
    pos += n;
    if (kind >= 2) op.push({ delete: n });
    else {
      const a = retainAttributes();
      op.push(a === undefined ? { retain: n } : { retain: n, attributes: a });
    }
  }
  return op;
}

const NAMES = ['bold', 'italic', 'color'] as const;
const VALUES = [true, 'red', { href: 'x' }] as const;

/** A non-empty attribute map, or undefined; `nulls` allows removals (retains only). */
function randomAttributes(nulls: boolean): AttributeMap | undefined {
  if (randomInt(3) === 0) return undefined;
  const name = NAMES[randomInt(NAMES.length)]!;
  const value = nulls && randomInt(3) === 0 ? null : VALUES[randomInt(VALUES.length)]!;
  return { [name]: value };
}

function plain(doc: RichTextDocument): string {
  return doc.map((run) => run.insert).join('');
}

function replayable(run: () => void): void {
  try {
    run();
  } catch (e) {
    throw new Error(`ot-fuzzer failed with seed ${SEED} (replay: OT_FUZZER_SEED=${SEED}): ${(e as Error).message}`, { cause: e });
  }
}

describe('ot-fuzzer', () => {
  it(`textType survives ${ITERATIONS} iterations`, () => {
    const type = { ...textType, invert: undefined };
    const generate = (doc: string): [TextOp, string] => {
      const none = (): undefined => undefined;
      const op = randomComponents(doc, none, none) as TextOp;
      return [op, modelApplyText(doc, op)];
    };
    replayable(() => fuzzer(type, generate as (doc: never) => [unknown, unknown], ITERATIONS));
    expect(textType.apply('ab', [{ retain: 1 }, { insert: 'x' }])).toBe('axb');
  });

  it(`richTextType survives ${ITERATIONS} iterations`, () => {
    const type = { ...richTextType, invert: undefined };
    const generate = (doc: RichTextDocument): [readonly Component[], RichTextDocument] => {
      const op = randomComponents(
        plain(doc),
        () => randomAttributes(false),
        () => (randomInt(2) === 0 ? randomAttributes(true) : undefined),
      );
      return [op, modelApplyRich(doc, op)];
    };
    replayable(() => fuzzer(type, generate as (doc: never) => [unknown, unknown], ITERATIONS));
    expect(richTextType.apply([{ insert: 'ab' }], [{ retain: 1, attributes: { bold: true } }])).toEqual([
      { insert: 'a', attributes: { bold: true } },
      { insert: 'b' },
    ]);
  });
});
