/**
 * One OT document of a client: an `OTClient` whose messages travel in `ot` envelopes, and
 * whose state, unconfirmed ops included, is written to storage before any of its
 * messages leave. A reload restores the op in flight under its sequence number, so the
 * server (which de-duplicates by client and sequence number) applies it at most once.
 */
import type { JsonValue } from '../codec/index.js';
import { OTClient, ProtocolError, type ClientMessage as OTClientMessage, type OTType } from '../ot/index.js';
import type { OTEnvelope, Synced, SyncError } from './protocol.js';
import { REFUSALS } from './replicated-session.js';
import { documentKey, encodeSaved, type SavedOT } from './saved-document.js';
import { SyncClientError, microtask, type SessionHost, type SessionPhase } from './session.js';

/** A message of the OT client waiting for the state it follows to be stored. */
interface Outgoing {
  readonly epoch: number;
  readonly message: OTClientMessage<unknown>;
}

/** An OT document kept in sync by a client. */
export class OTSession<Snapshot, Op> {
  phase: SessionPhase = 'idle';
  writable = true;
  readonly client: OTClient<Snapshot, Op>;
  private epoch = -1;
  private outgoing: Outgoing[] = [];
  /** How many local changes the op in flight holds, and the buffer. */
  private counts: [number, number];
  private scheduled = false;
  /** The latest commit; `running` says whether it has not ended. */
  private committing: Promise<void> = Promise.resolve();
  private running = false;
  private again = false;

  /**
   * @throws {TypeError} when `saved` does not restore (a corrupt or foreign stored copy).
   */
  constructor(
    private readonly host: SessionHost,
    readonly name: string,
    readonly type: string,
    readonly otType: OTType<Snapshot, Op>,
    saved: SavedOT | undefined,
  ) {
    const send = (message: OTClientMessage<Op>): void => {
      this.outgoing.push({ epoch: this.epoch, message });
      this.schedule();
    };
    if (saved === undefined) {
      this.client = new OTClient(otType, { client: host.client, send });
      this.counts = [0, 0];
    } else {
      try {
        const snapshot = otType.deserialize === undefined ? (saved.confirmed as Snapshot) : otType.deserialize(saved.confirmed);
        const inflight = saved.inflight;
        this.client = new OTClient(otType, {
          client: host.client,
          send,
          snapshot,
          revision: saved.revision,
          nextSeq: inflight === null ? saved.sequence : inflight.seq,
        });
        // Submitting the op in flight first gives it its old sequence number; the buffer follows.
        if (inflight !== null) this.client.submit(inflight.op as Op);
        if (saved.buffer !== null && saved.buffer !== undefined) this.client.submit(saved.buffer as Op);
        if (this.client.sequence !== saved.sequence && inflight !== null) {
          throw new TypeError(`its next sequence number ${saved.sequence} does not follow the op in flight ${inflight.seq}`);
        }
      } catch (error) {
        throw new TypeError(`the stored copy of ${JSON.stringify(name)} does not restore: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      this.counts = [saved.counts[0], saved.counts[1]];
    }
    this.client.on('change', (event) => {
      if (event.kind === 'op' && event.origin === 'local') {
        // A local op either went in flight (nothing was) or joined the buffer.
        if (this.client.state === 'awaiting-confirmation') this.counts = [1, 0];
        else if (this.client.state === 'awaiting-with-buffer') this.counts[1] += 1;
        this.host.changed();
      }
      this.schedule();
    });
  }

  /** Local changes not yet acknowledged. */
  get pending(): number {
    return this.counts[0] + this.counts[1];
  }

  /** Whether the subscription is open and the OT client has caught up with the server. */
  get ready(): boolean {
    return this.phase === 'synced' && this.client.connection === 'online';
  }

  /** Whether the client holds no unconfirmed op. */
  get durable(): boolean {
    return this.client.state === 'synchronised';
  }

  /** Subscribes on a new connection. */
  subscribe(epoch: number): void {
    if (this.phase === 'refused') return;
    this.epoch = epoch;
    this.phase = 'subscribing';
    this.host.send({ kind: 'subscribe', doc: this.name, type: this.type, version: {} }, epoch);
  }

  /** The connection closed. */
  disconnected(): void {
    if (this.phase !== 'refused') this.phase = 'idle';
    this.outgoing = [];
    if (this.client.connection !== 'offline') this.client.disconnected();
  }

  /** The subscription is open: join the OT server (the client sends its hello). */
  synced(message: Synced): void {
    if (this.phase !== 'subscribing') return;
    this.phase = 'synced';
    this.writable = message.writable;
    if (this.client.connection !== 'offline') this.client.disconnected();
    this.client.connected();
    this.host.changed();
  }

  /** An OT server message. */
  receive(message: OTEnvelope): void {
    if (this.phase !== 'synced') return;
    const before = this.client.state;
    try {
      this.client.receive(message.message);
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : 'error';
      this.host.report(new SyncClientError('protocol', `the server's OT message for ${this.name} was refused (${code}): ${error instanceof Error ? error.message : String(error)}`, this.name, { cause: error }));
      // Start again from a fresh join; the OT server answers with what this client misses.
      this.host.send({ kind: 'unsubscribe', doc: this.name }, this.epoch);
      this.disconnected();
      this.subscribe(this.epoch);
      return;
    }
    const state = this.client.state;
    if (state === 'synchronised') this.counts = [0, 0];
    // The op in flight settled (acknowledged or rejected) and the buffer took its place.
    else if (before === 'awaiting-with-buffer' && state === 'awaiting-confirmation') this.counts = [this.counts[1], 0];
    this.host.changed();
  }

  /** An error about this document; true when it refused the subscription. */
  error(message: SyncError): boolean {
    if (message.code === 'forbidden' && this.phase === 'synced') {
      this.writable = false;
      return false;
    }
    if (message.code === 'not-subscribed') {
      this.disconnected();
      this.subscribe(this.epoch);
      return false;
    }
    if (this.phase === 'subscribing' && REFUSALS.has(message.code)) {
      this.phase = 'refused';
      this.host.changed();
      return true;
    }
    return false;
  }

  /** Resolves once everything changed so far is written to storage. */
  async saved(): Promise<void> {
    while (this.scheduled || this.running) {
      if (this.running) await this.committing;
      else await Promise.resolve();
    }
  }

  private schedule(): void {
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

  /** Writes the state, then sends the messages that followed from it. */
  private async commit(): Promise<void> {
    this.running = true;
    try {
      while (this.again) {
        this.again = false;
        const messages = this.outgoing;
        this.outgoing = [];
        try {
          await this.host.storage.set(documentKey(this.name), encodeSaved(this.header()));
        } catch (error) {
          this.host.report(new SyncClientError('storage', `could not store ${this.name}: ${error instanceof Error ? error.message : String(error)}`, this.name, { cause: error }));
        }
        for (const { epoch, message } of messages) {
          if (epoch !== this.epoch || this.phase !== 'synced') continue;
          if (message.kind === 'op' && !this.writable) continue;
          this.host.send({ kind: 'ot', doc: this.name, message: message as unknown as JsonValue }, epoch);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private header(): SavedOT {
    const { inflight, buffer } = this.client.unconfirmed;
    const serialize = (snapshot: Snapshot): unknown => (this.otType.serialize === undefined ? snapshot : this.otType.serialize(snapshot));
    return {
      format: 1,
      kind: 'ot',
      type: this.type,
      revision: this.client.revision,
      confirmed: serialize(this.client.confirmedDocument),
      sequence: this.client.sequence,
      inflight: inflight === undefined ? null : { seq: inflight.seq, op: inflight.op },
      buffer: buffer === undefined ? null : buffer,
      counts: this.counts,
    };
  }
}
