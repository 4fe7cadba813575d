/**
 * A channel of the action relay: app actions (`{ type, … }`) sent to everyone else who
 * joined it, never stored. The server relays an action only when its type is on the
 * channel's allow-list and it fits the size limit; otherwise this client gets an `error`.
 */
import { ingestValue, resolveLimits, type JsonValue } from '../codec/index.js';
import type { SyncClientError } from './session.js';

/** An app action: an object with a string `type`. */
export type AppAction = { readonly type: string; readonly [key: string]: JsonValue };

/** A channel, from {@link SyncClient.channel}. */
export class Channel {
  private readonly actionListeners = new Set<(action: AppAction, from: string) => void>();
  private readonly errorListeners = new Set<(error: SyncClientError) => void>();
  private left = false;

  /** @param link How the channel sends and leaves; the client supplies it. */
  constructor(
    /** The channel's name. */
    readonly name: string,
    private readonly link: { publish(action: AppAction): boolean; leave(): void },
  ) {}

  /**
   * Sends an action to the channel's other members. Actions are not queued: returns false
   * when the client is not connected (the action is dropped), true when it was sent.
   * @throws {TypeError} when `action` is not an object with a string `type` holding only
   *   JSON values, or the channel was left.
   */
  publish(action: AppAction): boolean {
    if (this.left) throw new TypeError(`channel ${this.name} was left; call client.channel() again to rejoin`);
    const value = ingestValue(action, 'action', resolveLimits({}));
    if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
      throw new TypeError('an action is an object with a string type');
    }
    return this.link.publish(value as AppAction);
  }

  /** Listens for actions from other members, with the sender's client id. Returns an unsubscribe function. */
  on(event: 'action', listener: (action: AppAction, from: string) => void): () => void;
  /** Listens for refusals: joining was forbidden, or an action was refused. Returns an unsubscribe function. */
  on(event: 'error', listener: (error: SyncClientError) => void): () => void;
  on(event: 'action' | 'error', listener: ((action: AppAction, from: string) => void) | ((error: SyncClientError) => void)): () => void {
    if (event !== 'action' && event !== 'error') throw new TypeError(`unknown event "${String(event)}"; a channel has "action" and "error"`);
    const set = (event === 'action' ? this.actionListeners : this.errorListeners) as Set<typeof listener>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Leaves the channel; no more actions arrive. */
  leave(): void {
    if (this.left) return;
    this.left = true;
    this.link.leave();
  }

  /** Whether {@link leave} was called. */
  get closed(): boolean {
    return this.left;
  }

  /** An action arrived. */
  received(action: AppAction, from: string): void {
    for (const listener of [...this.actionListeners]) guarded(() => listener(action, from));
  }

  /** The server refused something on this channel. */
  refused(error: SyncClientError): void {
    for (const listener of [...this.errorListeners]) guarded(() => listener(error));
  }
}

function guarded(call: () => void): void {
  try {
    call();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
