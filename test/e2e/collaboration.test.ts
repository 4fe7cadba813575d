/**
 * Two people (alice and bob, one browser context each) on the demo at the same time: they
 * type into the shared editor at different places and at the same place, delete while the
 * other types, work on the todo list together (add, complete, rename, reorder, delete; an
 * edit in progress stays open while the other moves that todo), one types while the other
 * uses the todo list, and they bump the counter and chat. Every
 * replica converges, nothing typed is lost or duplicated, and where both typed at the same
 * place each person's run stays in one piece (FugueMax does not interleave). A screenshot
 * of both windows is saved after every step under test-results/collaboration/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForConverged } from './converge.js';
import { DemoRun } from './demo-run.js';
import { testId, type DemoTab } from './demo-tab.js';
import { Screenshots } from './screenshots.js';
import { expectRuns, sortedChars, typeTogether } from './typing.js';

const POLL = { timeout: 30_000, interval: 100 } as const;

describe('two people editing together', () => {
  let run: DemoRun | undefined;
  let alice: DemoTab;
  let bob: DemoTab;
  let shots: Screenshots;

  beforeAll(async () => {
    run = await DemoRun.start();
    const room = DemoRun.room('collaboration');
    alice = await run.open(room, 'alice');
    bob = await run.open(room, 'bob');
    shots = await Screenshots.start('collaboration');
  });

  afterAll(async () => {
    await run?.close();
  });

  const both = (): readonly [DemoTab, DemoTab] => [alice, bob];

  it('connects both and lists both in presence', async () => {
    for (const tab of both()) {
      await expect.poll(() => tab.status(), POLL).toBe('connected');
      await expect.poll(() => tab.presence(), POLL).toEqual(['alice', 'bob']);
    }
    await shots.take('connected', both());
  });

  it('types at two places at once and keeps both runs where they were typed', async () => {
    await alice.caretAtEnd();
    await alice.type('Hello world.');
    await waitForConverged(both(), (tab) => tab.text(), { ...POLL, what: 'editor text', until: (text) => text === 'Hello world.' });

    await alice.caretAt('Hello'.length);
    await bob.caretAtEnd();
    await typeTogether([
      [alice, ' brave new'],
      [bob, ' Goodbye.'],
    ]);
    const text = await waitForConverged(both(), (tab) => tab.text(), {
      ...POLL,
      what: 'editor text',
      until: (value) => value.length === 'Hello world.'.length + ' brave new'.length + ' Goodbye.'.length,
    });
    expect(sortedChars(text)).toBe(sortedChars('Hello world. brave new Goodbye.'));
    expect(text).toBe('Hello brave new world. Goodbye.');
    await shots.take('typed at two places', both());
  });

  it('deletes at one place while the other person types at another', async () => {
    await alice.caretAt('Hello brave new'.length);
    await bob.caretAtEnd();
    await typeTogether([
      [alice, ['Backspace', 'Backspace', 'Backspace', 'Backspace']],
      [bob, ' See you.'],
    ]);
    const text = await waitForConverged(both(), (tab) => tab.text(), {
      ...POLL,
      what: 'editor text',
      until: (value) => value.endsWith('See you.') && !value.includes('new'),
    });
    expect(text).toBe('Hello brave world. Goodbye. See you.');
    await shots.take('deleted while the other typed', both());
  });

  it('shows each person the other one\'s cursor', async () => {
    await expect.poll(() => alice.remoteCursors(), POLL).toEqual(['bob']);
    await expect.poll(() => bob.remoteCursors(), POLL).toEqual(['alice']);
    await shots.take('remote cursors', both());
  });

  it('types at the same place at once without interleaving the two runs', async () => {
    const before = await alice.text();
    const at = before.indexOf(' world');
    await alice.caretAt(at);
    await bob.caretAt(at);
    const runs = { alice: ' ALICE', bob: ' bobby' };
    await typeTogether([
      [alice, runs.alice],
      [bob, runs.bob],
    ]);
    const text = await waitForConverged(both(), (tab) => tab.text(), {
      ...POLL,
      what: 'editor text',
      until: (value) => value.length === before.length + runs.alice.length + runs.bob.length,
    });
    expect(sortedChars(text)).toBe(sortedChars(before + runs.alice + runs.bob));
    expectRuns(text, before, at, [runs.alice, runs.bob]);
    await shots.take('typed at the same place', both());
  });

  it('works on the todo list together: add, complete, rename, reorder, delete', async () => {
    await Promise.all([
      (async () => {
        await alice.addTodo('Buy milk');
        await alice.addTodo('Write report', 'button');
      })(),
      (async () => {
        await bob.addTodo('Walk the dog');
        await bob.addTodo('Call mom');
        await bob.addTodo('Old idea');
      })(),
    ]);
    const added = await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (todos) => todos.length === 5,
    });
    expect(added.map((todo) => todo.title).sort()).toEqual(['Buy milk', 'Call mom', 'Old idea', 'Walk the dog', 'Write report']);
    expect(added.every((todo) => !todo.done)).toBe(true);
    const ids = await waitForConverged(both(), (tab) => tab.todoIds(), { ...POLL, what: 'todo ids' });
    expect(new Set(ids).size).toBe(5);
    await shots.take('todos added', both());

    await Promise.all([
      (async () => {
        await alice.setTodoDone('Buy milk', true);
        await alice.renameTodo('Call mom', 'Call mom tonight');
        await alice.deleteTodo('Old idea');
        await alice.moveTodo('Write report', (await indexOf(alice, 'Write report')) === 0 ? 'down' : 'up');
      })(),
      (async () => {
        await bob.setTodoDone('Write report', true);
        await bob.moveTodo('Walk the dog', (await indexOf(bob, 'Walk the dog')) === 0 ? 'down' : 'up');
      })(),
    ]);
    const edited = await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (todos) => todos.length === 4 && todos.some((todo) => todo.title === 'Call mom tonight'),
    });
    expect([...edited].sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'Buy milk', done: true },
      { title: 'Call mom tonight', done: false },
      { title: 'Walk the dog', done: false },
      { title: 'Write report', done: true },
    ]);
    await shots.take('todos edited together', both());

    await alice.renameTodo('Walk the dog', 'Not this', 'Escape');
    expect(await alice.byTestId('todo-edit-input').count()).toBe(0);
    expect(await alice.todos()).toEqual(edited);

    for (let i = await indexOf(bob, 'Call mom tonight'); i > 0; i -= 1) await bob.moveTodo('Call mom tonight', 'up');
    await bob.setTodoDone('Buy milk', false);
    const reordered = await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (todos) => todos[0]?.title === 'Call mom tonight' && todos.every((todo) => todo.title !== 'Buy milk' || !todo.done),
    });
    expect(reordered.map((todo) => todo.title).slice(1).sort()).toEqual(['Buy milk', 'Walk the dog', 'Write report']);
    await shots.take('todo moved to the top', both());
  });

  it('keeps a todo\'s title edit open while the other person moves that todo', async () => {
    await alice.addTodo('Being renamed');
    await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (todos) => todos.at(-1)?.title === 'Being renamed',
    });
    const row = alice.todo('Being renamed');
    await row.locator(testId('todo-edit')).click();
    await row.locator(testId('todo-edit-input')).fill('Renamed while moving');
    await bob.moveTodo('Being renamed', 'up');
    await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      // Whatever its title by then: the row has moved off the end of the list.
      until: (todos) => !['Being renamed', 'Renamed while moving'].includes(todos.at(-1)?.title ?? ''),
    });
    // Alice is still typing: her input is open, focused and holds what she typed.
    const input = alice.byTestId('todo-edit-input');
    expect(await input.count()).toBe(1);
    expect(await input.inputValue()).toBe('Renamed while moving');
    expect(await input.evaluate((element: { readonly ownerDocument: { readonly activeElement: unknown } }) => element.ownerDocument.activeElement === element)).toBe(true);
    await input.press('Enter');
    const todos = await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (list) => list.some((todo) => todo.title === 'Renamed while moving'),
    });
    expect(todos.at(-2)).toEqual({ title: 'Renamed while moving', done: false });
    await alice.deleteTodo('Renamed while moving');
    await waitForConverged(both(), (tab) => tab.todos(), { ...POLL, what: 'todo list', until: (list) => list.length === 4 });
    await shots.take('todo renamed while moved', both());
  });

  it('types on while the other person changes the todo list, and the other way round', async () => {
    const before = await alice.text();
    const typing = (async () => {
      await alice.caretAtEnd();
      await alice.type(' Typing on.', { delay: 30 });
    })();
    await bob.addTodo('Added while alice types');
    await bob.setTodoDone('Added while alice types', true);
    await typing;
    const typed = (async () => {
      await bob.caretAt(0);
      await bob.type('Bob> ', { delay: 30 });
    })();
    await alice.setTodoDone('Added while alice types', false);
    await alice.renameTodo('Added while alice types', 'Renamed while bob types');
    await typed;
    const text = await waitForConverged(both(), (tab) => tab.text(), {
      ...POLL,
      what: 'editor text',
      until: (value) => value.length === before.length + ' Typing on.'.length + 'Bob> '.length,
    });
    expect(text).toBe(`Bob> ${before} Typing on.`);
    const todos = await waitForConverged(both(), (tab) => tab.todos(), {
      ...POLL,
      what: 'todo list',
      until: (list) => list.some((todo) => todo.title === 'Renamed while bob types'),
    });
    const mine = ['Added while alice types', 'Renamed while bob types'];
    expect(todos.filter((todo) => mine.includes(todo.title))).toEqual([{ title: 'Renamed while bob types', done: false }]);
    await alice.deleteTodo('Renamed while bob types');
    await shots.take('typed while the other used the todos', both());
  });

  it('adds both people\'s counter clicks and shows both chats in one order', async () => {
    await Promise.all([alice.bump(5), bob.bump(3)]);
    await bob.bump(-1);
    const value = await waitForConverged(both(), (tab) => tab.counter(), { ...POLL, what: 'counter', until: (n) => n === 7 });
    expect(value).toBe(7);

    await Promise.all([alice.sendChat('hi bob'), bob.sendChat('hi alice')]);
    await alice.sendChat('shall we ship it?');
    const chat = await waitForConverged(both(), (tab) => tab.chat(), { ...POLL, what: 'chat', until: (messages) => messages.length === 3 });
    for (const message of ['hi bob', 'hi alice', 'shall we ship it?']) {
      expect(chat.filter((shown) => shown.includes(message))).toHaveLength(1);
    }
    expect(chat.findIndex((shown) => shown.includes('hi bob'))).toBeLessThan(chat.findIndex((shown) => shown.includes('shall we ship it?')));
    await shots.take('counter and chat', both());
  });
});

async function indexOf(tab: DemoTab, title: string): Promise<number> {
  const index = (await tab.todos()).findIndex((todo) => todo.title === title);
  if (index < 0) throw new Error(`${tab.user} has no todo "${title}"`);
  return index;
}
