/**
 * `actionRelay`: a Redux middleware that sends chosen actions through a channel of
 * `tandem/sync` to the other members, and dispatches theirs. It suits actions whose
 * effect belongs to the moment (a notification, a cursor jump, "someone is typing"):
 * the relay does not store or queue, so an action dispatched while offline reaches nobody.
 * State that must survive goes in a document (`bindSlices`).
 */
import type { Middleware } from 'redux';
import { DEFAULT_LIMITS, ingestValue, type JsonValue } from '../codec/index.js';
import type { AppAction, Channel } from '../sync/channel.js';
import { isPlainObject } from './adapter.js';
import { ReduxBindingError, report } from './errors.js';
import { REMOTE_CHANGE } from './slices.js';

/** Options of {@link actionRelay}. */
export interface ActionRelayOptions {
  /** The channel, from `client.channel(name)`; the relay neither joins nor leaves it. */
  readonly channel: Channel;
  /**
   * The action types sent and accepted. The server's allow-list for the channel should be
   * the same: it refuses to relay other types, and this list refuses to dispatch them.
   */
  readonly types: readonly string[];
  /** Receives refused and undispatchable actions; the console's `error` when absent. */
  readonly onError?: (error: ReduxBindingError) => void;
}

/** The marker a received action carries in `meta.tandem`. */
export interface RelayedMeta {
  /** The sender's client id. */
  readonly from: string;
}

/** The middleware {@link actionRelay} makes, with a way to stop it. */
export interface ActionRelay extends Middleware {
  /** Stops sending and receiving; the channel stays joined. Idempotent. */
  stop(): void;
}

/**
 * A middleware relaying the actions whose type is on `types` through `channel`.
 *
 * Sending: a dispatched action of an allowed type is checked to be JSON, passed on, and
 * once the reducers took it, published to the channel's other members (not back to this
 * store); while the client is offline it reaches nobody (channels do not queue). An
 * action that already carries `meta.tandem` came from the relay and is never sent again.
 *
 * Receiving: an action from the channel is dispatched, with `meta.tandem = { from }` (the
 * sender's client id) added to its `meta`, only when it is an object whose `type` is on
 * `types` and whose `meta`, if any, is a plain object. Anything else is dropped and given
 * to `onError` as `refused-action`, whatever the server let through; a reducer that
 * throws on a received action is reported as `dispatch-failed`. Received actions pass
 * through every middleware, this one included, which does not send them.
 *
 * One relay serves one store: make one per `applyMiddleware`.
 *
 * @throws {ReduxBindingError} `bad-options` when `channel` is not a channel, `types` is
 *   not an array of non-empty strings, or names `tandem/remote-change` or a `@@` type;
 *   from `dispatch`, `not-json` when an allowed action is not JSON (the store does not
 *   take it and nothing is sent); when applied to a second store, `bad-options`.
 * @example
 * const relay = actionRelay({ channel: client.channel('board'), types: ['board/celebrate'] });
 * const store = createStore(reducer, applyMiddleware(relay));
 */
export function actionRelay(options: ActionRelayOptions): ActionRelay {
  if (!isPlainObject(options)) throw new ReduxBindingError('bad-options', 'actionRelay takes { channel, types, onError? }');
  const { channel, types, onError } = options;
  if (typeof channel !== 'object' || channel === null || typeof channel.publish !== 'function' || typeof channel.on !== 'function') {
    throw new ReduxBindingError('bad-options', 'actionRelay needs a channel, from client.channel(name)');
  }
  if (!Array.isArray(types) || !types.every((t) => typeof t === 'string' && t !== '')) {
    throw new ReduxBindingError('bad-options', 'actionRelay types must be an array of non-empty action types');
  }
  for (const type of types) {
    if (type === REMOTE_CHANGE || type.startsWith('@@')) {
      throw new ReduxBindingError('bad-options', `${type} cannot be relayed: it belongs to the binding or to Redux itself`);
    }
  }
  if (onError !== undefined && typeof onError !== 'function') throw new ReduxBindingError('bad-options', 'onError must be a function');
  const allowed = new Set(types);
  let applied = false;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;

  const refuse = (message: string): void => report(onError, new ReduxBindingError('refused-action', `${message} on channel ${channel.name}; dropped`));

  const middleware: Middleware = (api) => {
    if (applied) throw new ReduxBindingError('bad-options', 'this relay already serves a store; make one relay per store');
    applied = true;
    if (!stopped) {
      unsubscribe = channel.on('action', (action: unknown, from: string) => {
        if (stopped) return;
        const received = receive(action, from, allowed, refuse);
        if (received === undefined) return;
        try {
          api.dispatch(received);
        } catch (error) {
          report(
            onError,
            new ReduxBindingError('dispatch-failed', `an action of type ${JSON.stringify(received.type)} from ${from} could not be dispatched: ${error instanceof Error ? error.message : String(error)}`, {
              cause: error,
            }),
          );
        }
      });
    }
    return (next) => (action) => {
      if (stopped || !isPlainObject(action) || typeof action.type !== 'string' || !allowed.has(action.type) || relayed(action)) return next(action);
      let json: JsonValue;
      try {
        json = ingestValue(action, 'action', DEFAULT_LIMITS);
      } catch (error) {
        throw new ReduxBindingError('not-json', `${action.type} is relayed, so it must be JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const result = next(action);
      if (!channel.closed) channel.publish(json as AppAction);
      return result;
    };
  };

  return Object.assign(middleware, {
    stop(): void {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
    },
  });
}

/** Whether an action came from the relay (it carries `meta.tandem`). */
function relayed(action: Record<string, unknown>): boolean {
  return isPlainObject(action.meta) && Object.hasOwn(action.meta, 'tandem');
}

/** A received action checked and marked for dispatch, or undefined when refused. */
function receive(action: unknown, from: string, allowed: ReadonlySet<string>, refuse: (message: string) => void): (AppAction & { readonly meta: Record<string, JsonValue> }) | undefined {
  if (!isPlainObject(action) || typeof action.type !== 'string') {
    refuse(`an action from ${from} that is not an object with a string type arrived`);
    return undefined;
  }
  if (!allowed.has(action.type)) {
    refuse(`an action of type ${JSON.stringify(action.type)} from ${from}, which is not on the allow-list, arrived`);
    return undefined;
  }
  if (action.meta !== undefined && !isPlainObject(action.meta)) {
    refuse(`an action of type ${JSON.stringify(action.type)} from ${from} has a meta that is not a plain object`);
    return undefined;
  }
  let json: JsonValue;
  try {
    json = ingestValue(action, 'action', DEFAULT_LIMITS);
  } catch (error) {
    refuse(`an action of type ${JSON.stringify(action.type)} from ${from} is not JSON (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
  const checked = json as AppAction;
  const meta = isPlainObject(checked.meta) ? checked.meta : {};
  return { ...checked, meta: { ...meta, tandem: { from } } };
}
