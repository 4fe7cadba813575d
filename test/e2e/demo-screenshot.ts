/**
 * Makes docs/demo.png, the README's picture of the demo: alice's and bob's windows side by
 * side after they have typed, filled the todo list, chatted and bumped the counter
 * together. Run with `npm run demo:screenshot` (needs Chromium, like `npm run test:e2e`).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { waitForConverged } from './converge.js';
import { DemoRun } from './demo-run.js';
import type { DemoTab } from './demo-tab.js';
import { typeTogether } from './typing.js';

const OUTPUT = fileURLToPath(new URL('../../docs/demo.png', import.meta.url));
const POLL = { timeout: 30_000, interval: 100 } as const;

/** Fills the room with a little of everything, as two people would. */
async function collaborate(alice: DemoTab, bob: DemoTab): Promise<void> {
  await alice.caretAtEnd();
  await alice.type('Trip to Lisbon\n\nFlights: booked.\n');
  await waitForConverged([alice, bob], (tab) => tab.text(), { ...POLL, what: 'editor text', until: (text) => text.endsWith('booked.\n') });
  await bob.caretAtEnd();
  await alice.caretAt('Trip to Lisbon'.length);
  await typeTogether([
    [alice, ' (May)'],
    [bob, 'Hotel: near the river?'],
  ]);
  await alice.addTodo('Book the hotel');
  await bob.addTodo('Renew passport');
  await alice.addTodo('Buy a guidebook');
  await bob.setTodoDone('Renew passport', true);
  await alice.sendChat('Flights are booked!');
  await bob.sendChat('Great, I will look at hotels.');
  await Promise.all([alice.bump(3), bob.bump(2)]);
  await waitForConverged([alice, bob], (tab) => tab.todos(), { ...POLL, what: 'todo list', until: (todos) => todos.length === 3 });
  await waitForConverged([alice, bob], (tab) => tab.chat(), { ...POLL, what: 'chat', until: (messages) => messages.length === 2 });
  await waitForConverged([alice, bob], (tab) => tab.counter(), { ...POLL, what: 'counter', until: (n) => n === 5 });
  await waitForConverged([alice, bob], (tab) => tab.text(), { ...POLL, what: 'editor text', until: (text) => text.endsWith('river?') });
  await alice.byTestId('editor').focus();
  await bob.byTestId('editor').focus();
}

/** One HTML page showing the two screenshots side by side, each under its person's name. */
function sideBySide(windows: readonly { readonly user: string; readonly png: Buffer }[]): string {
  const frames = windows
    .map(
      ({ user, png }) =>
        `<figure><figcaption>${user}</figcaption><img src="data:image/png;base64,${png.toString('base64')}"></figure>`,
    )
    .join('');
  return `<!doctype html><html><head><style>
body { margin: 0; padding: 16px; background: #d9dde3; display: flex; gap: 16px; font: 14px system-ui, sans-serif; }
figure { margin: 0; border-radius: 8px; overflow: hidden; box-shadow: 0 2px 10px rgba(0, 0, 0, 0.25); background: #fff; }
figcaption { padding: 6px 12px; background: #3b4252; color: #fff; }
img { display: block; }
</style></head><body>${frames}</body></html>`;
}

const run = await DemoRun.start();
try {
  // A fixed room name (the data folder is new each run), so the picture is the same every time.
  const room = 'lisbon-trip';
  const alice = await run.open(room, 'alice');
  const bob = await run.open(room, 'bob');
  await collaborate(alice, bob);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const windows = await Promise.all([alice, bob].map(async (tab) => ({ user: tab.user, png: await tab.page.screenshot({ fullPage: true }) })));
  const page = await run.browser.newPage({ viewport: { width: 1328, height: 800 } });
  await page.setContent(sideBySide(windows));
  await page.screenshot({ path: OUTPUT, fullPage: true });
  await page.close();
  console.log(`wrote ${OUTPUT}`);
} finally {
  await run.close();
}
