/**
 * The todo list: each todo is its own entry of an `LWWMap` (key: the todo's id, value:
 * `{ title, done, order }`), so people editing different todos never touch each other's.
 * The list is sorted by `order`, a fractional key (`order-key.ts`), then by id.
 */
import { createReplicaId } from '../../src/crdt/clock/index.js';
import type { LWWMap } from '../../src/crdt/index.js';
import { arrange } from './arrange.js';
import { byTestId, element } from './dom.js';
import { rekey } from './order-key.js';

/** One todo as stored (a type, not an interface, so that it is a JSON value). */
export type Todo = {
  readonly title: string;
  readonly done: boolean;
  readonly order: string;
};

/** A todo with its id, as shown. */
interface ShownTodo extends Todo {
  readonly id: string;
}

/** Binds the page's todo section to `todos`. */
export function mountTodos(root: ParentNode, todos: LWWMap<Todo>): void {
  const input = byTestId(root, 'todo-input', HTMLInputElement);
  const add = byTestId(root, 'todo-add', HTMLButtonElement);
  const list = byTestId(root, 'todo-list', HTMLElement);
  const left = byTestId(root, 'todo-count', HTMLElement);
  const clear = byTestId(root, 'todo-clear-completed', HTMLButtonElement);
  const rows = new Map<string, TodoRow>();
  let shown: ShownTodo[] = [];

  const render = (): void => {
    shown = sortedTodos(todos);
    const ids = new Set(shown.map((todo) => todo.id));
    for (const [id, row] of rows) {
      if (ids.has(id)) continue;
      row.item.remove();
      rows.delete(id);
    }
    const items = shown.map((todo, index) => {
      let row = rows.get(todo.id);
      if (row === undefined) {
        row = new TodoRow(todo.id, actions);
        rows.set(todo.id, row);
      }
      row.show(todo, index === 0, index === shown.length - 1);
      return row.item;
    });
    // Moving an element blurs what has focus inside it (a title being edited would commit
    // half-typed): the row holding the focus stays, the others move around it.
    const focused = document.activeElement;
    arrange(list, items, items.find((item) => focused !== null && item.contains(focused)));
    const open = shown.filter((todo) => !todo.done).length;
    left.textContent = `${open} left`;
    clear.disabled = open === shown.length;
  };

  /** Moves the todo at `from` to `to` in the shown order, rewriting as few keys as it can. */
  const move = (id: string, by: -1 | 1): void => {
    const from = shown.findIndex((todo) => todo.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= shown.length) return;
    const wanted = [...shown];
    const [moved] = wanted.splice(from, 1);
    wanted.splice(to, 0, moved!);
    for (const [index, order] of rekey(wanted.map((todo) => todo.order), to)) {
      const { id: key, ...todo } = wanted[index]!;
      todos.set(key, { ...todo, order });
    }
  };

  const actions: TodoActions = {
    rename: (id, title) => {
      const todo = todos.get(id);
      if (todo === undefined) return;
      if (title === '') todos.delete(id);
      else todos.set(id, { ...todo, title });
    },
    toggle: (id, done) => {
      const todo = todos.get(id);
      if (todo !== undefined) todos.set(id, { ...todo, done });
    },
    remove: (id) => void todos.delete(id),
    move,
  };

  const addTodo = (): void => {
    const title = input.value.trim();
    if (title === '') return;
    // The new todo is the one moved to the end; the others are rewritten only when the
    // keys must be spread out again.
    // Each write re-renders and re-sorts `shown`: work from this copy.
    const before = [...shown];
    const end = before.length;
    for (const [index, order] of rekey([...before.map((todo) => todo.order), null], end)) {
      if (index === end) {
        todos.set(newId(), { title, done: false, order });
        continue;
      }
      const { id, ...todo } = before[index]!;
      todos.set(id, { ...todo, order });
    }
    input.value = '';
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) addTodo();
  });
  add.addEventListener('click', addTodo);
  clear.addEventListener('click', () => {
    for (const todo of shown) if (todo.done) todos.delete(todo.id);
  });
  todos.on('change', render);
  render();
}

/** What a row asks of the list. */
interface TodoActions {
  rename(id: string, title: string): void;
  toggle(id: string, done: boolean): void;
  remove(id: string): void;
  move(id: string, by: -1 | 1): void;
}

/** One todo's row; it stays while the todo exists, so an edit in progress survives remote changes. */
class TodoRow {
  readonly item: HTMLLIElement;
  private readonly toggle: HTMLInputElement;
  private readonly title: HTMLSpanElement;
  private readonly up: HTMLButtonElement;
  private readonly down: HTMLButtonElement;
  private editor: HTMLInputElement | undefined;

  constructor(
    private readonly id: string,
    private readonly actions: TodoActions,
  ) {
    this.toggle = element('input', { testid: 'todo-toggle', attributes: { type: 'checkbox', 'aria-label': 'done' } });
    this.title = element('span', { testid: 'todo-title', className: 'todo-title' });
    const edit = element('button', { testid: 'todo-edit', text: 'Edit', attributes: { type: 'button' } });
    const remove = element('button', { testid: 'todo-delete', text: 'Delete', attributes: { type: 'button' } });
    this.up = element('button', { testid: 'todo-up', text: '↑', attributes: { type: 'button', 'aria-label': 'move up' } });
    this.down = element('button', { testid: 'todo-down', text: '↓', attributes: { type: 'button', 'aria-label': 'move down' } });
    this.item = element('li', { testid: 'todo-item', attributes: { 'data-id': id } }, this.toggle, this.title, edit, this.up, this.down, remove);
    this.toggle.addEventListener('change', () => actions.toggle(id, this.toggle.checked));
    edit.addEventListener('click', () => this.startEditing());
    this.title.addEventListener('dblclick', () => this.startEditing());
    remove.addEventListener('click', () => actions.remove(id));
    this.up.addEventListener('click', () => actions.move(id, -1));
    this.down.addEventListener('click', () => actions.move(id, 1));
  }

  show(todo: Todo, first: boolean, last: boolean): void {
    this.title.textContent = todo.title;
    this.toggle.checked = todo.done;
    this.item.classList.toggle('done', todo.done);
    this.up.disabled = first;
    this.down.disabled = last;
  }

  /** Turns the title into an input: Enter (or leaving it) commits, Escape cancels; an empty title deletes. */
  private startEditing(): void {
    if (this.editor !== undefined) return;
    const editor = element('input', { testid: 'todo-edit-input', className: 'todo-edit-input', attributes: { 'aria-label': 'title' } });
    editor.value = this.title.textContent ?? '';
    this.editor = editor;
    const finish = (commit: boolean): void => {
      if (this.editor !== editor) return;
      this.editor = undefined;
      editor.remove();
      this.title.hidden = false;
      if (commit) this.actions.rename(this.id, editor.value.trim());
    };
    editor.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing) finish(true);
      else if (event.key === 'Escape') finish(false);
    });
    editor.addEventListener('blur', () => finish(true));
    // The title stays in the row, hidden, so the row is still found by its title while it is edited.
    this.title.hidden = true;
    this.title.after(editor);
    editor.focus();
    editor.select();
  }
}

/** The todos in display order, skipping entries that are not todos (a map holds any JSON). */
function sortedTodos(todos: LWWMap<Todo>): ShownTodo[] {
  const shown: ShownTodo[] = [];
  for (const [id, value] of todos.entries()) {
    const todo = readTodo(value);
    if (todo !== undefined) shown.push({ id, ...todo });
  }
  return shown.sort((a, b) => (a.order !== b.order ? (a.order < b.order ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function readTodo(value: unknown): Todo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { title, done, order } = value as Partial<Record<keyof Todo, unknown>>;
  if (typeof title !== 'string' || typeof done !== 'boolean' || typeof order !== 'string') return undefined;
  return { title, done, order };
}

function newId(): string {
  // createReplicaId needs only crypto.getRandomValues (randomUUID is for secure contexts).
  return `${Date.now().toString(36)}-${createReplicaId().slice(0, 8)}`;
}
