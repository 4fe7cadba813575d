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
   * Merges a remote update. Duplicates and any delivery order are safe: an update cut
   * from a version this replica has not reached yet is held (see `pending`) and merged
   * once it has, unless `options.hold` is false (a server that must log what it merges).
   * @throws {DecodeError} when the update is invalid, or must not be held and cannot be
   *   merged yet; the replica is then unchanged.
   */
  apply(update: Uint8Array, options?: ApplyOptions): void;
  /**
   * Listens for changes: fires once for each local method call that changed the
   * replica's state, and once for each update merged that changed it (an `apply` that
   * also merges held updates fires for each of them); never for a no-op or a duplicate.
   * Returns an unsubscribe function.
   */
  on(event: 'change', listener: (event: E) => void): () => void;
}

/** How {@link Replicated.apply} treats an update that cannot be merged yet. */
export interface ApplyOptions {
  /** When false, refuse such an update (`DecodeError` `invalid-value`) instead of holding it. Default true. */
  readonly hold?: boolean;
}

/** Options every replicated type takes. */
export interface ReplicatedOptions {
  /** This replica's id: a non-empty string of at most 64 UTF-8 bytes, unique among replicas. */
  readonly replica: string;
  /** Decoding limits for `apply`; defaults in `FORMAT.md` section 6. */
  readonly limits?: Partial<DecodeLimits>;
}

/** An update waiting for its base: the decoded model, how to recognise a copy, its size. */
interface Held<M> {
  readonly model: M;
  readonly id: string;
  readonly bytes: number;
}

/** A payload model; `base` is the version a delta was cut from (absent or empty for a whole state). */
export interface Model {
  readonly base?: VersionVector;
}

/**
 * Shared machinery: options, framing, the change listeners, and holding updates that
 * arrive before what they build on. A subclass provides the payload codec, a snapshot of
 * its state as a model, and a merge that validates everything before it mutates.
 */
export abstract class ReplicatedBase<M extends Model, E extends ChangeEvent> implements Replicated<E> {
  /** This replica's id. */
  readonly replica: string;
  /** The decoding limits in force. */
  protected readonly limits: DecodeLimits;
  private readonly listeners = new Set<(event: E) => void>();
  private held: Held<M>[] = [];
  private heldBytes = 0;

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

  /**
   * Checks the rules of a decoded update that do not depend on this replica's state, for
   * an update about to be held (`merge` checks them too, where it costs nothing extra).
   * @throws {DecodeError}
   */
  protected checkHeld(_model: M): void {}

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
  apply(update: Uint8Array, options?: ApplyOptions): void {
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
      if (options?.hold === false) {
        throw new DecodeError('invalid-value', 'the update builds on events this replica has not seen yet (its base is not covered)');
      }
      this.hold(model, update);
      return;
    }
    const event = this.merge(model);
    if (event !== undefined) this.emit(event);
    this.drainHeld();
  }

  /** Holds a valid update until this replica has seen the base it was cut from. */
  private hold(model: M, update: Uint8Array): void {
    this.checkHeld(model);
    // The frame's length and CRC-32 tell a retransmitted copy from a new frame.
    const id = `${update.length}:${update[update.length - 4]}.${update[update.length - 3]}.${update[update.length - 2]}.${update[update.length - 1]}`;
    if (this.held.some((h) => h.id === id)) return;
    if (this.held.length >= this.limits.maxPending) {
      throw new DecodeError(
        'limit-exceeded',
        `${this.held.length} updates already wait for earlier ones (maxPending ${this.limits.maxPending})`,
      );
    }
    if (this.heldBytes + update.length > this.limits.maxPendingBytes) {
      throw new DecodeError(
        'limit-exceeded',
        `holding this update would keep more than maxPendingBytes ${this.limits.maxPendingBytes} waiting`,
      );
    }
    this.held.push({ model, id, bytes: update.length });
    this.heldBytes += update.length;
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
      for (const held of waiting) {
        const model = held.model;
        if (this.ready(model)) {
          progress = true;
          this.heldBytes -= held.bytes;
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
          this.held.push(held);
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

  /** Whether anyone listens for changes: types whose events cost work to build skip it otherwise. */
  protected get listened(): boolean {
    return this.listeners.size > 0;
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
