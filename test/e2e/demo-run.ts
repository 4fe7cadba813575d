/**
 * One run of the demo for a test file: the demo server on a random loopback port with a
 * fresh temporary data folder, one headless Chromium, and the tabs opened on it. `close`
 * tears all of it down, every part even when another part fails to close.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDemo } from '../../demo/server.js';
import { launchChromium } from './chromium.js';
import { DemoTab } from './demo-tab.js';
import { slug } from './screenshots.js';

/** The demo server, a browser, and the tabs opened on them. */
export class DemoRun {
  private readonly tabs: DemoTab[] = [];

  private constructor(
    /** The demo's address, e.g. `http://127.0.0.1:41234/`. */
    readonly url: string,
    /** The browser every tab opens in (one context per tab). */
    readonly browser: Browser,
    private readonly teardown: readonly (() => Promise<void>)[],
  ) {}

  /**
   * Starts the demo server with a new temporary data folder, then Chromium.
   *
   * @throws whatever starting the server or Chromium throws (see `launchChromium`), after
   * stopping what had already started.
   */
  static async start(): Promise<DemoRun> {
    const dataDir = await mkdtemp(join(tmpdir(), 'tandem-e2e-'));
    const teardown: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
    try {
      const demo = await startDemo({ port: 0, host: '127.0.0.1', dataDir });
      teardown.unshift(() => demo.close());
      const browser = await launchChromium();
      teardown.unshift(() => browser.close());
      return new DemoRun(demo.url, browser, teardown);
    } catch (error) {
      await runAll(teardown);
      throw error;
    }
  }

  /** A room name no other test uses: the test's name and a random suffix. */
  static room(test: string): string {
    return `${slug(test)}-${randomUUID().slice(0, 8)}`;
  }

  /** Opens `user`'s tab on `room` in a new browser context and waits until it is ready. */
  async open(room: string, user: string): Promise<DemoTab> {
    const tab = await DemoTab.open(this.browser, this.url, room, user);
    this.tabs.push(tab);
    return tab;
  }

  /**
   * Closes every tab, the browser and the server, and deletes the data folder.
   *
   * @throws the first error any step threw, after running every step.
   */
  async close(): Promise<void> {
    await runAll([...this.tabs.splice(0).map((tab) => () => tab.close()), ...this.teardown]);
  }
}

/** Runs every step in order; rethrows the first failure once all have run. */
async function runAll(steps: readonly (() => Promise<void>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
