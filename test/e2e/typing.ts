/**
 * Typing by several people at once, and what the text must look like afterwards.
 */
import { expect } from 'vitest';
import type { DemoTab } from './demo-tab.js';

/**
 * What one person does at the keyboard: a string is typed character by character; an
 * array lists keys to press one after another (Playwright key names such as `Backspace`,
 * or single characters).
 */
export type Keystrokes = string | readonly string[];

/**
 * Each tab presses its keystrokes at its caret, one per tab at a time: every tab presses
 * its next key at the same moment, then all wait `pause` ms (so some keystrokes cross on
 * the wire and some arrive before the other person's next one).
 */
export async function typeTogether(typists: readonly (readonly [DemoTab, Keystrokes])[], pause = 25): Promise<void> {
  const longest = Math.max(0, ...typists.map(([, keys]) => keys.length));
  for (let i = 0; i < longest; i += 1) {
    await Promise.all(
      typists.map(async ([tab, keys]) => {
        const key = keys[i];
        if (key === undefined) return;
        if (typeof keys === 'string') await tab.type(key);
        else await tab.press(key);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** The characters of `text` in code-unit order: equal for two texts holding the same multiset. */
export function sortedChars(text: string): string {
  return [...text].sort().join('');
}

/**
 * Asserts that `text` is `before` with every run inserted whole at `at`, in some order:
 * no character lost or duplicated, and no two runs interleaved.
 */
export function expectRuns(text: string, before: string, at: number, runs: readonly string[]): void {
  const layouts = orders(runs).map((order) => before.slice(0, at) + order.join('') + before.slice(at));
  expect(layouts, `each run typed at ${at} should stay in one piece`).toContain(text);
}

function orders(runs: readonly string[]): string[][] {
  if (runs.length <= 1) return [[...runs]];
  return runs.flatMap((run, i) => orders([...runs.slice(0, i), ...runs.slice(i + 1)]).map((rest) => [run, ...rest]));
}
