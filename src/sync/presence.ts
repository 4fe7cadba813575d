/**
 * Presence on one document: this client's own state (a cursor, a name) and the states of
 * the other clients that have the document open. States are ephemeral: never stored, and
 * gone when a client leaves or stops repeating its state (the client repeats it at every
 * heartbeat and after every reconnect).
 */
import { ingestValue, resolveLimits, type JsonValue } from '../codec/index.js';

/** The other clients' states by client id. */
export type PeerStates = ReadonlyMap<string, JsonValue>;

/** Presence on one document, from {@link SyncClient.presence}. */
export class DocumentPresence {
  private own: JsonValue | null = null;
  private readonly states = new Map<string, JsonValue>();
  private readonly listeners = new Set<(peers: PeerStates) => void>();

  /** @param transmit Sends this client's state (null: none) when the document is synced; the client supplies it. */
  constructor(
    /** The document. */
    readonly doc: string,
    private readonly transmit: (state: JsonValue | null) => void,
  ) {}

  /** The other clients' states, by client id. */
  get peers(): PeerStates {
    return this.states;
  }

  /** This client's own state, null when it has none. */
  get state(): JsonValue | null {
    return this.own;
  }

  /**
   * Sets this client's state and shares it (now when online, else after reconnecting).
   * @throws {TypeError} when `state` is not a JSON value (finite numbers, no cycles, well-formed strings).
   */
  set(state: JsonValue): void {
    this.own = ingestValue(state, 'presence state', resolveLimits({}));
    this.transmit(this.own);
  }

  /** Withdraws this client's state: the others see it leave. */
  clear(): void {
    if (this.own === null) return;
    this.own = null;
    this.transmit(null);
  }

  /**
   * Listens for changes to {@link peers}: a peer joining, changing its state or leaving.
   * Returns an unsubscribe function.
   */
  on(event: 'change', listener: (peers: PeerStates) => void): () => void {
    if (event !== 'change') throw new TypeError(`unknown event "${String(event)}"; presence has "change"`);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A peer's state arrived (null: it left). */
  received(client: string, state: JsonValue | null): void {
    if (state === null) {
      if (!this.states.delete(client)) return;
    } else {
      this.states.set(client, state);
    }
    this.emit();
  }

  /** Sends this client's state again (heartbeat, reconnect). */
  repeat(): void {
    if (this.own !== null) this.transmit(this.own);
  }

  /** The connection closed: the peers are unknown until the server lists them again. */
  reset(): void {
    if (this.states.size === 0) return;
    this.states.clear();
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this.states);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
