import {
  DecodeError,
  checkReplicaId,
  decodeFrame,
  encodeFrame,
  resolveLimits,
  type DecodeLimits,
  type PayloadCodec,
} from '../codec/index.js';
import type { Version, VersionVector } from './clock/index.js';
import { CRDT_TAGS } from './tags.js';
import { sinceArgument } from './wire.js';

/** Whether a change was made through this replica's own methods or merged from another. */
export type Origin = 'local' | 'remote';

/** What every change event carries. */
export interface ChangeEvent {
  /** `local` for this replica's own methods, `remote` for `apply`. */
  readonly origin: Origin;
}

/**
 * The contract every replicated type implements; the sync layer, tests and benchmarks
 * rely on it.
 */
export interface Replicated<E extends ChangeEvent = ChangeEvent> {
  /** This replica's id. */
  readonly replica: string;
  /** The events this replica has seen, as a JSON-serialisable version vector. */
  version(): Version;
  /**
   * An update holding what a holder of `since` lacks; with no argument, the whole state.
   * @throws {TypeError} / {@link RangeError} when `since` is not a valid version.
   */
  encode(since?: Version): Uint8Array;
  /**
   * Merges a remote update. Duplicates and any delivery order are safe.
   * @throws {DecodeError} when the update is invalid; the replica is then unchanged.
   */
  apply(update: Uint8Array): void;
  /**
   * Listens for changes: fires once for each local method call or `apply` that changed
   * the replica's state, never for a no-op or a duplicate. Returns an unsubscribe function.
   */
  on(event: 'change', listener: (event: E) => void): () => void;
}

/** Options every replicated type takes. */
export interface ReplicatedOptions {
  /** This replica's id: a non-empty string of at most 64 UTF-8 bytes, unique among replicas. */
  readonly replica: string;
  /** Decoding limits for `apply`; defaults in `FORMAT.md` section 6. */
  readonly limits?: Partial<DecodeLimits>;
}

/**
 * Shared machinery: options, framing, the change listeners, and holding updates that
 * arrive before what they build on. A subclass provides the payload codec, a snapshot of
 * its state as a model, and a merge that validates everything before it mutates.
 */
/** A payload model; `base` is the version a delta was cut from (absent or empty for a whole state). */
export interface Model {
  readonly base?: VersionVector;
}

export abstract class ReplicatedBase<M extends Model, E extends ChangeEvent> implements Replicated<E> {
  /** This replica's id. */
  readonly replica: string;
  /** The decoding limits in force. */
  protected readonly limits: DecodeLimits;
  private readonly listeners = new Set<(event: E) => void>();
  private held: M[] = [];

  protected constructor(options: ReplicatedOptions, private readonly codec: PayloadCodec<M>) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`options must be an object such as { replica: 'alice' }`);
    }
    this.replica = checkReplicaId(options.replica);
    this.limits = resolveLimits(options.limits);
  }

  /** The causal context of this replica. */
  protected abstract get clock(): VersionVector;

  /** The state (or the part a holder of `since` lacks) as a payload model. */
  protected abstract snapshot(since: VersionVector | undefined): M;

  /**
   * Merges a decoded update. Must throw {@link DecodeError} before mutating anything when
   * the update cannot be merged, and return the change event when the state changed.
   */
  protected abstract merge(model: M): E | undefined;

  /** How many of this replica's own events a decoded update claims. */
  protected abstract claims(model: M): number;

  /**
   * Whether a decoded update can be merged now: a delta cut from a `base` version
   * assumes the receiver has seen that base.
   */
  private ready(model: M): boolean {
    return model.base === undefined || this.clock.covers(model.base);
  }

  /** {@inheritDoc Replicated.version} */
  version(): Version {
    return this.clock.toJSON();
  }

  /** {@inheritDoc Replicated.encode} */
  encode(since?: Version): Uint8Array {
    return encodeFrame(this.codec, this.snapshot(sinceArgument(since)));
  }

  /** {@inheritDoc Replicated.apply} */
  apply(update: Uint8Array): void {
    const model = decodeFrame(this.codec, update, this.limits, CRDT_TAGS);
    // A replica learns its own past only while it has none (loading its saved state).
    // After that, a claim to events it never made comes from a faulty peer, or from a
    // copy of this replica restored from old storage, which must take a new id: either
    // way, taking it would reuse or exhaust this replica's event counters.
    const own = this.clock.get(this.replica);
    if (own > 0 && this.claims(model) > own) {
      throw new DecodeError(
        'invalid-value',
        `the update claims events of replica ${this.replica} that it never made ` +
          '(if this replica was restored from an old copy of its state, give it a new replica id)',
      );
    }
    if (!this.ready(model)) {
      if (this.held.length >= this.limits.maxPending) {
        throw new DecodeError(
          'limit-exceeded',
          `${this.held.length} updates already wait for earlier ones (maxPending ${this.limits.maxPending})`,
        );
      }
      this.held.push(model);
      return;
    }
    const event = this.merge(model);
    if (event !== undefined) this.emit(event);
    this.drainHeld();
  }

  /** Number of updates held until the updates they build on arrive. */
  get pending(): number {
    return this.held.length;
  }

  private drainHeld(): void {
    let progress = this.held.length > 0;
    while (progress) {
      progress = false;
      const waiting = this.held;
      this.held = [];
      for (const model of waiting) {
        if (this.ready(model)) {
          progress = true;
          let event: E | undefined;
          try {
            event = this.merge(model);
          } catch (error) {
            // A held update that no longer merges was refused as a whole; nobody waits on it.
            if (error instanceof DecodeError) continue;
            throw error;
          }
          if (event !== undefined) this.emit(event);
        } else {
          this.held.push(model);
        }
      }
    }
  }

  /** {@inheritDoc Replicated.on} */
  on(event: 'change', listener: (event: E) => void): () => void {
    if (event !== 'change') throw new TypeError(`unknown event "${String(event)}"; the only event is "change"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Calls every listener. A listener that throws does not stop the others nor undo the
   * change: its error is rethrown asynchronously, where the host reports it.
   */
  protected emit(event: E): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
