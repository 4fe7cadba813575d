/**
 * The closed set of rules the Redux binding enforces. Each {@link ReduxBindingError}
 * names one, so an app can react to the kind of fault without parsing messages.
 *
 * - `bad-options`: `bindSlices` or `actionRelay` was given something it cannot use (a
 *   document without the map methods, two slices on one document, an allow-list that is
 *   not an array of strings or names the binding's own action type, a relay applied to a
 *   second store).
 * - `bad-slice`: a bound slice is not the shape its adapter reads (the root state is not
 *   an object, the slice is missing, a record slice is an array, an array slice holds
 *   something other than objects).
 * - `bad-id`: an entity id is not a string, is not well-formed UTF-16, is too long, or
 *   appears twice in one slice.
 * - `not-json`: an entity, or an action sent through the relay, is not a JSON value
 *   (`undefined`, a function, a `Date`, NaN, a cycle, …) or nests too deep.
 * - `refused-action`: an action received through the relay is not an object with a string
 *   `type` on the allow-list, or its `meta` is not a plain object; it was dropped.
 * - `dispatch-failed`: a change of a document, or a received action, was dispatched and a
 *   reducer or middleware threw; the store kept its state.
 * - `write-failed`: writing a store's change into its document threw (the document's own
 *   limits are tighter than the defaults the binding checks against).
 */
export type ReduxBindingErrorCode =
  | 'bad-options'
  | 'bad-slice'
  | 'bad-id'
  | 'not-json'
  | 'refused-action'
  | 'dispatch-failed'
  | 'write-failed';

/**
 * Raised by the Redux binding. Thrown from `dispatch` (and `createStore`) when a reducer
 * makes a bound slice break a rule, before the store takes the new state, so the store
 * and its documents stay as they were; given to `onError` for faults that arrive from
 * elsewhere (a refused relayed action, a document change no reducer could take).
 *
 * @example
 * try { store.dispatch(addTodo({ due: new Date() })) }
 * catch (e) { if (e instanceof ReduxBindingError && e.code === 'not-json') showError(e.message) }
 */
export class ReduxBindingError extends Error {
  override readonly name = 'ReduxBindingError';
  constructor(
    /** The rule broken. */
    readonly code: ReduxBindingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reports an error the binding survived; a listener that throws is reported on the console instead. */
export function report(onError: ((error: ReduxBindingError) => void) | undefined, error: ReduxBindingError): void {
  if (onError === undefined) {
    console.error(error);
    return;
  }
  try {
    onError(error);
  } catch (thrown) {
    console.error(thrown);
  }
}
