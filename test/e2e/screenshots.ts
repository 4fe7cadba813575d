/**
 * Screenshots of every step of an end-to-end test, one per person, under
 * `test-results/<test>/<NN>-<step>-<user>.png` (NN numbers the steps in the order taken,
 * so the folder reads as the story of the test).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoTab } from './demo-tab.js';

/** The folder all end-to-end output goes to (ignored by git). */
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** The numbered screenshots of one test. */
export class Screenshots {
  private step = 0;

  private constructor(
    /** The folder this test's screenshots go to. */
    readonly dir: string,
  ) {}

  /** Empties (or creates) `test-results/<test>/` for a fresh run of `test`. */
  static async start(test: string): Promise<Screenshots> {
    const dir = join(RESULTS_DIR, slug(test));
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new Screenshots(dir);
  }

  /** Saves a screenshot of every tab for the next step; returns the files written. */
  async take(step: string, tabs: readonly DemoTab[]): Promise<string[]> {
    this.step += 1;
    const prefix = `${String(this.step).padStart(2, '0')}-${slug(step)}`;
    return Promise.all(
      tabs.map(async (tab) => {
        const path = join(this.dir, `${prefix}-${slug(tab.user)}.png`);
        await tab.page.screenshot({ path, fullPage: true });
        return path;
      }),
    );
  }
}

/** A file-name-safe form of a test or step name: lower case, words joined by dashes. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
