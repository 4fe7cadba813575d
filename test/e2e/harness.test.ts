/**
 * The end-to-end harness itself, against a page served here rather than the demo: a missing
 * Chromium fails with instructions, convergence waits for agreement that holds, and a
 * tab's caret and typing land where asked, with a screenshot per step.
 */
import { createServer, type Server } from 'node:http';
import { access } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { waitForConverged } from './converge.js';
import { DemoTab } from './demo-tab.js';
import { Screenshots } from './screenshots.js';

describe('launchChromium', () => {
  it('fails with how to install Chromium when the executable is missing', async () => {
    const missing = '/nonexistent/chromium-for-tandem-tests';
    await expect(launchChromium(missing)).rejects.toThrow(
      new RegExp(`No Chromium executable at ${missing}.*apt-get install -y chromium.*CHROMIUM_PATH`),
    );
  });
});

describe('waitForConverged', () => {
  it('returns the agreed value once it holds on two polls in a row and satisfies until', async () => {
    const timeline = (values: readonly number[]) => {
      let reads = 0;
      return {
        reads: () => reads,
        read: async (): Promise<number> => values[Math.min(reads++, values.length - 1)] ?? Number.NaN,
      };
    };
    const alice = timeline([1, 2, 3, 3, 3, 3]);
    const bob = timeline([0, 2, 2, 3, 3, 3]);
    const agreed = await waitForConverged([alice, bob], (replica) => replica.read(), {
      what: 'numbers',
      interval: 1,
      until: (n) => n > 2,
    });
    expect(agreed).toBe(3);
    // Poll 2 agrees on 2 (refused by until), poll 4 agrees on 3, poll 5 confirms it.
    expect(alice.reads()).toBe(5);
  });

  it('fails after the timeout, naming what diverged and each replica\'s last value', async () => {
    const read = async (replica: string): Promise<string> => `text of ${replica}`;
    await expect(waitForConverged(['alice', 'bob'], read, { what: 'editor text', timeout: 50, interval: 5 })).rejects.toThrow(
      /editor text did not converge within 50 ms; last values:\n {2}replica 0: 'text of alice'\n {2}replica 1: 'text of bob'/,
    );
  });
});

const PAGE = `<!doctype html><html><body><main data-testid="app" data-ready="true">
<textarea data-testid="editor">0123456789</textarea></main></body></html>`;

describe('DemoTab on a plain page', () => {
  let server: Server;
  let browser: Browser | undefined;
  let url = '';

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the page server has no port');
    url = `http://127.0.0.1:${address.port}/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('types at the caret and saves a numbered screenshot per person', async () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    const shots = await Screenshots.start('harness plain page');
    const alice = await DemoTab.open(browser, url, 'harness', 'alice');
    const bob = await DemoTab.open(browser, url, 'harness', 'bob');
    try {
      await alice.caretAt(4);
      await alice.type('ab');
      await bob.caretAtEnd();
      await bob.type('z');
      expect(await alice.text()).toBe('0123ab456789');
      expect(await bob.text()).toBe('0123456789z');
      const files = await shots.take('typed', [alice, bob]);
      expect(files.map((file) => file.slice(shots.dir.length))).toEqual(['/01-typed-alice.png', '/01-typed-bob.png']);
      await Promise.all(files.map((file) => access(file)));
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
