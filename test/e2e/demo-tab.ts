/**
 * One person's window on the demo: a browser context of its own (own storage, own network
 * switch) with one page, and the reads and gestures the tests need, all through the demo's
 * `data-testid` contract. Gestures go through the keyboard and mouse as a person's would;
 * reads take one snapshot of the page at a time.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** A todo as the page shows it. */
export interface TodoView {
  readonly title: string;
  readonly done: boolean;
}

/**
 * The parts of a page element the snapshots read. The tests compile without the DOM
 * library (the library they test must not depend on it), so these callbacks declare what
 * they use.
 */
interface PageElement {
  readonly textContent: string | null;
  readonly checked?: boolean;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}

/** How long a gesture or a read waits for its element before failing. */
const ACTION_TIMEOUT = 15_000;

/** A selector for the element with this `data-testid`. */
export function testId(id: string): string {
  return `[data-testid="${id}"]`;
}

/** One person's context and page on the demo. */
export class DemoTab {
  private constructor(
    /** The display name, also the `?user=` parameter. */
    readonly user: string,
    /** The context: its own storage and `setOffline` switch. */
    readonly context: BrowserContext,
    /** The page showing the demo. */
    readonly page: Page,
  ) {}

  /**
   * Opens a new context on `baseUrl` with `?room=` and `?user=` set, and waits until the
   * app says it is ready (`data-ready="true"` on the root).
   */
  static async open(browser: Browser, baseUrl: string, room: string, user: string): Promise<DemoTab> {
    const context = await browser.newContext({ viewport: { width: 640, height: 800 } });
    context.setDefaultTimeout(ACTION_TIMEOUT);
    const page = await context.newPage();
    const url = new URL(baseUrl);
    url.searchParams.set('room', room);
    url.searchParams.set('user', user);
    await page.goto(url.href);
    const tab = new DemoTab(user, context, page);
    await tab.ready();
    return tab;
  }

  /** The element with this `data-testid`. */
  byTestId(id: string): Locator {
    return this.page.locator(testId(id));
  }

  /** Waits until the app has opened its documents and rendered them. */
  async ready(): Promise<void> {
    await this.page.locator(`${testId('app')}[data-ready="true"]`).waitFor({ state: 'attached' });
  }

  /** Reloads the page (from the service worker when offline) and waits until it is ready. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.ready();
  }

  /** The client's status text: `connected`, `connecting`, `offline`, ... */
  async status(): Promise<string> {
    return ((await this.byTestId('status').textContent()) ?? '').trim();
  }

  /** How many changes wait to be sent, as the page shows it. */
  async pending(): Promise<number> {
    const text = ((await this.byTestId('pending').textContent()) ?? '').trim();
    const match = /\d+/.exec(text);
    if (match === null) throw new Error(`${this.user}: pending shows "${text}", not a number`);
    return Number(match[0]);
  }

  /** Ticks or unticks the app's own offline switch. */
  async setAppOffline(offline: boolean): Promise<void> {
    await this.byTestId('offline-toggle').setChecked(offline);
  }

  /** The names in the presence list, sorted. */
  async presence(): Promise<string[]> {
    return (await this.byTestId('presence-user').allTextContents()).map((name) => name.trim()).sort();
  }

  /** The names on the remote cursors shown in this page's editor, sorted. */
  async remoteCursors(): Promise<string[]> {
    return this.byTestId('remote-cursor').evaluateAll((cursors: readonly PageElement[]) =>
      cursors.map((cursor) => cursor.getAttribute('data-user') ?? '').sort(),
    );
  }

  /** The editor's text. */
  async text(): Promise<string> {
    return this.byTestId('editor').inputValue();
  }

  /**
   * Puts the caret at `index` (a UTF-16 offset, counting a line break as one) with the
   * keyboard: Ctrl+Home, then `index` presses of the right arrow.
   */
  async caretAt(index: number): Promise<void> {
    const editor = this.byTestId('editor');
    await editor.focus();
    await this.page.keyboard.press('Control+Home');
    for (let i = 0; i < index; i += 1) await this.page.keyboard.press('ArrowRight');
  }

  /** Puts the caret at the end of the editor's text with Ctrl+End. */
  async caretAtEnd(): Promise<void> {
    await this.byTestId('editor').focus();
    await this.page.keyboard.press('Control+End');
  }

  /** Types `text` at the caret, key by key, `delay` ms apart (default 0). */
  async type(text: string, options: { readonly delay?: number } = {}): Promise<void> {
    await this.page.keyboard.type(text, { delay: options.delay ?? 0 });
  }

  /** Presses one key at the caret (a Playwright key name such as `Backspace`, or a character). */
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** The todo list in display order. */
  async todos(): Promise<TodoView[]> {
    return this.byTestId('todo-item').evaluateAll((items: readonly PageElement[]) =>
      items.map((item) => ({
        title: (item.querySelector('[data-testid="todo-title"]')?.textContent ?? '').trim(),
        done: item.querySelector('[data-testid="todo-toggle"]')?.checked === true,
      })),
    );
  }

  /** The todos' ids (`data-id`) in display order. */
  async todoIds(): Promise<string[]> {
    return this.byTestId('todo-item').evaluateAll((items: readonly PageElement[]) =>
      items.map((item) => item.getAttribute('data-id') ?? ''),
    );
  }

  /** The todo item whose title is exactly `title`. */
  todo(title: string): Locator {
    return this.byTestId('todo-item').filter({
      has: this.page.locator(testId('todo-title'), { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
    });
  }

  /** Adds a todo: types the title into the input, then presses Enter or clicks the add button. */
  async addTodo(title: string, submit: 'enter' | 'button' = 'enter'): Promise<void> {
    const input = this.byTestId('todo-input');
    await input.fill(title);
    if (submit === 'enter') await input.press('Enter');
    else await this.byTestId('todo-add').click();
  }

  /** Ticks or unticks a todo's done box. */
  async setTodoDone(title: string, done: boolean): Promise<void> {
    await this.todo(title).locator(testId('todo-toggle')).setChecked(done);
  }

  /**
   * Renames a todo through its edit button: types the new title, then presses Enter to
   * commit or Escape to cancel.
   */
  async renameTodo(title: string, next: string, finish: 'Enter' | 'Escape' = 'Enter'): Promise<void> {
    const item = this.todo(title);
    await item.locator(testId('todo-edit')).click();
    const input = item.locator(testId('todo-edit-input'));
    await input.fill(next);
    await input.press(finish);
  }

  /** Moves a todo one place up or down with its arrow buttons. */
  async moveTodo(title: string, direction: 'up' | 'down'): Promise<void> {
    await this.todo(title).locator(testId(direction === 'up' ? 'todo-up' : 'todo-down')).click();
  }

  /** Deletes a todo with its delete button. */
  async deleteTodo(title: string): Promise<void> {
    await this.todo(title).locator(testId('todo-delete')).click();
  }

  /** The chat messages in display order, as their text. */
  async chat(): Promise<string[]> {
    return (await this.byTestId('chat-message').allTextContents()).map((message) => message.trim());
  }

  /** Sends a chat message: types it and clicks send. */
  async sendChat(message: string): Promise<void> {
    await this.byTestId('chat-input').fill(message);
    await this.byTestId('chat-send').click();
  }

  /** The counter's value. */
  async counter(): Promise<number> {
    const text = ((await this.byTestId('counter-value').textContent()) ?? '').trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`${this.user}: the counter shows "${text}", not an integer`);
    return Number(text);
  }

  /** Clicks the counter's increment button `times` times (decrement when negative). */
  async bump(times: number): Promise<void> {
    const button = this.byTestId(times < 0 ? 'counter-decrement' : 'counter-increment');
    for (let i = 0; i < Math.abs(times); i += 1) await button.click();
  }

  /** Closes the context and its page. */
  async close(): Promise<void> {
    await this.context.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
