/** Shared set-up for the Redux binding's tests: a todo app's reducers, and stores bound to documents of one hub. */
import { applyMiddleware, combineReducers, compose, legacy_createStore, type Middleware, type StoreEnhancer, type UnknownAction } from 'redux';
import type { LWWMap, AWMap } from '../../src/crdt/index.js';
import { REMOTE_CHANGE, bindSlices, type BoundSlices, type SliceAdapter } from '../../src/redux/index.js';
import { ReduxBindingError } from '../../src/redux/index.js';

export interface Todo {
  readonly text: string;
  readonly done: boolean;
}

export type Todos = Readonly<Record<string, Todo>>;

/** The app's own reducer of the bound slice: knows nothing of Tandem. */
export function todos(state: Todos = {}, action: UnknownAction): Todos {
  const p = (action.payload ?? {}) as { id?: string; text?: string };
  switch (action.type) {
    case 'todo/added':
      return { ...state, [p.id!]: { text: p.text!, done: false } };
    case 'todo/edited': {
      const todo = state[p.id!];
      return todo === undefined ? state : { ...state, [p.id!]: { ...todo, text: p.text! } };
    }
    case 'todo/toggled': {
      const todo = state[p.id!];
      return todo === undefined ? state : { ...state, [p.id!]: { ...todo, done: !todo.done } };
    }
    case 'todo/deleted': {
      if (!Object.hasOwn(state, p.id!)) return state;
      const { [p.id!]: _, ...rest } = state;
      return rest;
    }
    default:
      return state;
  }
}

/** An unbound slice that counts the remote changes it saw, as any existing reducer may. */
export function seen(state = 0, action: UnknownAction): number {
  return action.type === REMOTE_CHANGE ? state + 1 : state;
}

export const reducer = combineReducers({ todos, seen });

export const added = (id: string, text: string): UnknownAction => ({ type: 'todo/added', payload: { id, text } });
export const edited = (id: string, text: string): UnknownAction => ({ type: 'todo/edited', payload: { id, text } });
export const toggled = (id: string): UnknownAction => ({ type: 'todo/toggled', payload: { id } });
export const deleted = (id: string): UnknownAction => ({ type: 'todo/deleted', payload: { id } });

/** A store of the todo app bound to `doc`, counting every action that reaches its middleware. */
export function todoStore(doc: LWWMap | AWMap, options: { adapter?: SliceAdapter; middleware?: Middleware[]; preloaded?: { todos: Todos; seen: number } } = {}) {
  const dispatched: UnknownAction[] = [];
  const errors: ReduxBindingError[] = [];
  const count: Middleware = () => (next) => (action) => {
    dispatched.push(action as UnknownAction);
    return next(action);
  };
  const enhancer: StoreEnhancer<{ readonly tandem: BoundSlices }> = compose(
    bindSlices({ todos: options.adapter === undefined ? doc : { document: doc, adapter: options.adapter } }, { onError: (e) => errors.push(e) }),
    applyMiddleware(count, ...(options.middleware ?? [])),
  );
  const store =
    options.preloaded === undefined ? legacy_createStore(reducer, enhancer) : legacy_createStore(reducer, options.preloaded, enhancer);
  return { store, dispatched, errors };
}

/** The code of the ReduxBindingError `run` throws; fails when it throws nothing or something else. */
export function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ReduxBindingError) return error.code;
    throw error;
  }
  throw new Error('no error was thrown');
}

/** The same todo app with its slice as `{ ids, entities }`, as Redux Toolkit's entity adapter keeps it. */
export interface TodoTable {
  readonly ids: readonly string[];
  readonly entities: Todos;
}

export function todoTable(state: TodoTable = { ids: [], entities: {} }, action: UnknownAction): TodoTable {
  const entities = todos(state.entities, action);
  if (entities === state.entities) return state;
  const ids = state.ids.filter((id) => Object.hasOwn(entities, id));
  for (const id of Object.keys(entities)) if (!ids.includes(id)) ids.push(id);
  return { ids, entities };
}
