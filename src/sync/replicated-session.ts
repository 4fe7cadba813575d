/**
 * One replicated document of a client: its outbox, acknowledgements and persistence.
 *
 * The outbox is not a queue of messages but a version: `confirmed` is what the server
 * has acknowledged holding, and everything the document holds beyond it (its own
 * replica's events, since remote events come from the server) is unacknowledged. One
 * update cut from that version carries all of it; merges are idempotent, so a resend
 * after a reconnect is applied at most once in effect.
 *
 * Every commit writes the whole state and the bookkeeping to storage first and only then
 * sends the delta cut at the same instant, so the server never holds an event of this
 * replica that a reload would not find (which would make the replica spend that event's
 * counter twice).
 *
 * With a {@link DocumentJournal}, each local change is also journaled synchronously in the
 * change listener, so a reload during that write finds it; a finished write removes the
 * entries it holds.
 */
import { DecodeError } from '../codec/index.js';
import { VersionVector, type Replicated, type Version } from '../crdt/index.js';
import type { Ack, Synced, SyncError, Update } from './protocol.js';
import type { DocumentJournal } from './document-journal.js';
import { documentKey, encodeSaved, type SavedReplicated } from './saved-document.js';
import { SyncClientError, microtask, type SessionHost, type SessionPhase } from './session.js';

/** Errors that refuse a subscription for good. */

/** How long a store of remote changes may wait for more to share its write, ms. */
const LAZY_SAVE_MS = 250;

export const REFUSALS: ReadonlySet<string> = new Set(['forbidden', 'type-mismatch', 'malformed', 'limit-exceeded']);

/** Updates in a row the server may reject before the session stops sending. */
const MAX_REJECTIONS = 3;

/** A replicated document kept in sync by a client. */
export class ReplicatedSession {
  phase: SessionPhase = 'idle';
  /** Whether the server lets this client write (from the last `synced`). */
  writable = true;
  /** Set when the server keeps rejecting this document's updates; nothing more is sent until a new connection. */
  stalled = false;
  private rejections = 0;
  private confirmed: VersionVector;
  /** `confirmed` plus what is in flight on this connection. */
  private sent = new VersionVector();
  /** In-flight updates by seq: the document's version when each was cut. */
  private readonly inflight = new Map<number, Version>();
  private nextSeq = 1;
  /** This replica's counter after each local change not yet acknowledged. */
  private marks: number[];
  private epoch = -1;
  private scheduled = false;
  /** A deferred store of remote changes and acknowledgements, if one is waiting. */
  private lazy: ReturnType<typeof setTimeout> | undefined = undefined;
  /** The latest commit; `running` says whether it has not ended. */
  private committing: Promise<void> = Promise.resolve();
  private running = false;
  private again = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly host: SessionHost,
    readonly name: string,
    readonly type: string,
    readonly doc: Replicated,
    saved: SavedReplicated | undefined,
    private readonly journal: DocumentJournal | undefined = undefined,
    /** The marks of the local changes the journal replayed into `doc` beyond `saved`. */
    replayed: readonly number[] = [],
  ) {
    this.confirmed = saved === undefined ? new VersionVector() : VersionVector.from(saved.confirmed, 'stored confirmed version');
    this.marks = saved === undefined ? [...replayed] : [...saved.marks, ...replayed];
    this.prune();
    journal?.opened(doc.version());
    this.unsubscribe = doc.on('change', (event) => {
      if (event.origin === 'local') {
        // Journaled first, in this turn: a reload from here on finds the change.
        this.journal?.record(this.doc);
        this.marks.push(this.own(this.doc.version()));
        this.host.changed();
      }
      // A local change is stored and sent at once; a remote one is already on the server,
      // so storing it can wait and share one write with the changes that follow it.
      this.schedule(event.origin === 'local');
    });
    // Replayed entries reach the storage (which then lets them go) and the server.
    if (journal?.holding === true) this.schedule();
  }

  /** Whether the subscription is open and the server's state merged. */
  get ready(): boolean {
    return this.phase === 'synced';
  }

  /** Local changes not yet acknowledged by the server. */
  get pending(): number {
    return this.marks.length;
  }

  /** Whether this replica's counter `mark` is durable on the server. */
  covers(mark: number): boolean {
    return mark <= this.confirmed.get(this.host.client);
  }

  /** This replica's own counter. */
  ownCounter(): number {
    return this.own(this.doc.version());
  }

  /** Subscribes on a new connection. */
  subscribe(epoch: number): void {
    if (this.phase === 'refused') return;
    this.epoch = epoch;
    this.inflight.clear();
    this.stalled = false;
    this.phase = 'subscribing';
    this.host.send({ kind: 'subscribe', doc: this.name, type: this.type, version: this.doc.version() }, epoch);
  }

  /** The connection closed: whatever was in flight is resent after the next `synced`. */
  disconnected(): void {
    if (this.phase !== 'refused') this.phase = 'idle';
    this.inflight.clear();
  }

  /** The server's answer to `subscribe`: its version, and what this replica lacks. */
  synced(message: Synced): void {
    if (this.phase !== 'subscribing') return;
    try {
      if (message.update.length > 0) this.doc.apply(message.update);
    } catch (error) {
      const diverged = error instanceof DecodeError && error.message.includes('never made');
      this.host.report(
        new SyncClientError(
          diverged ? 'diverged' : 'protocol',
          diverged
            ? `the server holds changes to ${this.name} by this client that its stored state lacks (restored from an older copy?); the document is not synced`
            : `the server's state of ${this.name} does not merge: ${describe(error)}`,
          this.name,
          { cause: error },
        ),
      );
      this.stalled = true;
    }
    // The server's version may count updates of this client it merged but has not yet made
    // durable (sent on a connection that then dropped): only an ack says they are. So this
    // client's own entry stays what was acknowledged, and the rest is resent; the server
    // acknowledges a resend it already holds once the writes before it are durable.
    const me = this.host.client;
    const acknowledged = this.confirmed.get(me);
    const version: Record<string, number> = { ...message.version };
    if ((version[me] ?? 0) > acknowledged) {
      if (acknowledged > 0) version[me] = acknowledged;
      else delete version[me];
    }
    this.confirmed = VersionVector.from(version, 'synced version');
    this.sent = this.confirmed.clone();
    this.writable = message.writable;
    this.phase = 'synced';
    this.prune();
    this.host.changed();
    this.schedule();
  }

  /** Another client's update, forwarded by the server. */
  update(message: Update): void {
    if (this.phase !== 'synced') return;
    const before = this.doc.version();
    try {
      this.doc.apply(message.update);
      // What the update added (other replicas' events) came from the server, which holds it.
      const after = this.doc.version();
      const me = this.host.client;
      for (const replica of Object.keys(after)) {
        if (replica !== me && after[replica]! > (before[replica] ?? 0)) {
          this.confirmed.observe(replica, after[replica]!);
          this.sent.observe(replica, after[replica]!);
        }
      }
    } catch (error) {
      this.host.report(new SyncClientError('protocol', `an update the server forwarded for ${this.name} does not merge: ${describe(error)}`, this.name, { cause: error }));
    }
  }

  /** The server made update `seq` durable. */
  ack(message: Ack): void {
    const version = this.inflight.get(message.seq);
    if (version === undefined) return;
    this.inflight.delete(message.seq);
    this.rejections = 0;
    this.confirmed.merge(VersionVector.from(version, 'acknowledged version'));
    this.prune();
    this.host.changed();
    this.schedule(false);
  }

  /**
   * An error about this document. Returns true when it concerned the subscription and
   * the session is now refused.
   */
  error(message: SyncError): boolean {
    const seq = message.seq;
    if (seq !== 0 && this.inflight.has(seq)) {
      this.inflight.delete(seq);
      if (message.code === 'forbidden') {
        this.writable = false;
      } else if (message.code === 'rejected') {
        // The update built on something the server lacks, or did not merge: start over
        // from the server's version. Bounded, so a state the server never accepts does
        // not loop.
        if (++this.rejections >= MAX_REJECTIONS) this.stalled = true;
        else this.resubscribe();
      }
      return false;
    }
    if (message.code === 'not-subscribed') {
      this.resubscribe();
      return false;
    }
    if (this.phase === 'subscribing' && seq === 0 && REFUSALS.has(message.code)) {
      this.phase = 'refused';
      this.host.changed();
      return true;
    }
    return false;
  }

  private resubscribe(): void {
    if (this.phase === 'refused' || this.phase === 'idle') return;
    this.host.send({ kind: 'unsubscribe', doc: this.name }, this.epoch);
    this.subscribe(this.epoch);
  }

  /** Resolves once everything changed so far is written to storage. */
  async saved(): Promise<void> {
    if (this.lazy !== undefined) this.schedule();
    while (this.scheduled || this.running) {
      if (this.running) await this.committing;
      else await Promise.resolve();
    }
  }

  /** Stops listening to the document. */
  close(): void {
    this.unsubscribe();
    if (this.lazy !== undefined) {
      clearTimeout(this.lazy);
      this.lazy = undefined;
    }
  }

  private schedule(urgent = true): void {
    if (!urgent) {
      if (this.lazy === undefined && !this.scheduled) {
        this.lazy = setTimeout(() => {
          this.lazy = undefined;
          this.schedule();
        }, LAZY_SAVE_MS);
      }
      return;
    }
    if (this.lazy !== undefined) {
      clearTimeout(this.lazy);
      this.lazy = undefined;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    microtask(() => {
      this.scheduled = false;
      this.again = true;
      // A running commit sees `again` before it ends: it checks it and clears `running` in
      // one turn, so no change is left without a commit.
      if (!this.running) this.committing = this.commit();
    });
  }

  /** Writes the state, then sends what the server lacks; repeats while changes keep coming. */
  private async commit(): Promise<void> {
    this.running = true;
    try {
      while (this.again) {
        this.again = false;
        const outgoing = this.cut();
        const checkpoint = this.journal?.checkpoint() ?? 0;
        const version = this.doc.version();
        const record = encodeSaved(this.header(), this.doc.encode());
        try {
          await this.host.storage.set(documentKey(this.name), record);
          this.journal?.written(checkpoint, version);
        } catch (error) {
          this.host.report(new SyncClientError('storage', `could not store ${this.name}: ${describe(error)}`, this.name, { cause: error }));
        }
        if (outgoing !== undefined && this.phase === 'synced' && this.epoch === outgoing.epoch) {
          this.inflight.set(outgoing.seq, outgoing.version);
          if (!this.host.send({ kind: 'update', doc: this.name, seq: outgoing.seq, update: outgoing.update }, outgoing.epoch)) this.inflight.delete(outgoing.seq);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The update holding this replica's events the server lacks, cut now; undefined when there are none or it cannot be sent. */
  private cut(): { seq: number; epoch: number; version: Version; update: Uint8Array } | undefined {
    if (this.phase !== 'synced' || !this.writable || this.stalled) return undefined;
    const version = this.doc.version();
    const me = this.host.client;
    if (this.own(version) <= this.sent.get(me)) return undefined;
    // The server has what it confirmed, what is in flight, and what it forwarded since.
    const update = this.doc.encode(this.sent.toJSON());
    this.sent.merge(VersionVector.from(version, 'version'));
    return { seq: this.nextSeq++, epoch: this.epoch, version, update };
  }

  private header(): SavedReplicated {
    return { format: 1, kind: 'replicated', type: this.type, confirmed: this.confirmed.toJSON(), marks: this.marks };
  }

  private prune(): void {
    const through = this.confirmed.get(this.host.client);
    if (this.marks.length > 0 && this.marks[0]! <= through) {
      this.marks = this.marks.filter((mark) => mark > through);
      this.host.changed();
    }
  }

  private own(version: Version): number {
    return version[this.host.client] ?? 0;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
