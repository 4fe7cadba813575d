/**
 * The client end of the control algorithm: applies local ops at once, keeps at most one op
 * in flight to the server and composes the rest into a buffer, and rebases both over the
 * server's ops as they arrive. README.md in this folder states the protocol.
 */
import { checkReplicaId } from '../../codec/index.js';
import { ProtocolError } from './errors.js';
import {
  readServerMessage,
  type AckMessage,
  type ClientMessage,
  type RejectMessage,
  type RejectReason,
  type RemoteMessage,
  type RetryMessage,
  type SnapshotMessage,
} from './messages.js';
import { invertAt, type OTType } from './type.js';

/**
 * The classic three states: nothing unconfirmed; one op sent and unacknowledged; and one
 * op sent plus later local ops composed into a buffer that waits for its acknowledgement.
 */
export type ClientState = 'synchronised' | 'awaiting-confirmation' | 'awaiting-with-buffer';

/**
 * The link to the server: `offline` after {@link OTClient.disconnected} (local ops still
 * apply and queue), `joining` between {@link OTClient.connected} and the server's `ready`
 * or `snapshot`, `online` after.
 */
export type Connection = 'offline' | 'joining' | 'online';

/** Where a change to the client's document came from. */
export type ChangeOrigin = 'local' | 'remote' | 'rollback';

/**
 * A change to the client's document. `op` turned `before` into `after`. A `reset` has no
 * op: the document was replaced by a server snapshot plus any unsent local ops
 * (`snapshot`), or by the confirmed document after a rejected op the type could not
 * invert (`rollback`).
 */
export type DocumentChange<Snapshot, Op> =
  | { readonly kind: 'op'; readonly origin: ChangeOrigin; readonly op: Op; readonly before: Snapshot; readonly after: Snapshot }
  | { readonly kind: 'reset'; readonly origin: 'snapshot' | 'rollback'; readonly before: Snapshot; readonly after: Snapshot };

/**
 * Why local ops were taken back: a server {@link RejectReason}, or
 * - `unconfirmed`: the server forgot whether it applied the op (README.md, "De-duplication");
 *   the snapshot the client now holds may or may not contain it;
 * - `history-pruned`: after a snapshot, the unsent ops no longer apply to the document;
 * - `depends-on-rejected`: the ops came after a rejected op, and the type cannot invert
 *   that op to separate them from it.
 */
export type LocalRejectReason = RejectReason | 'unconfirmed' | 'history-pruned' | 'depends-on-rejected';

/** Local ops taken back, already removed from the document. */
export interface RejectEvent<Op> {
  /** The sequence number the op was sent under, when it had been sent. */
  readonly seq: number | undefined;
  /** Why the op was taken back. */
  readonly reason: LocalRejectReason;
  /** Why, in words. */
  readonly detail: string;
  /** The op as it stood when taken back (composed, when several ops were). */
  readonly op: Op;
}

/** How an {@link OTClient} starts. */
export interface OTClientOptions<Snapshot, Op> {
  /**
   * This client's id, 1 to 64 UTF-8 bytes. The server de-duplicates ops by (client, seq),
   * so an id must never be reused with a fresh sequence counter: give each client instance
   * a new random id, or restore `nextSeq` with the id.
   */
  readonly client: string;
  /** Hands a message to the transport, which delivers the messages of a link in order. */
  readonly send: (message: ClientMessage<Op>) => void;
  /** The confirmed document at `revision`; defaults to `type.create()`. */
  readonly snapshot?: Snapshot;
  /** The server revision of `snapshot`; defaults to 0. */
  readonly revision?: number;
  /** The first sequence number to use; defaults to 0. */
  readonly nextSeq?: number;
}

interface InFlight<Op> {
  readonly seq: number;
  readonly op: Op;
}

/**
 * One participant's view of a document kept in step with an {@link OTServer}.
 *
 * Local ops ({@link submit}) change {@link document} at once and are sent one at a time;
 * server ops are transformed over the unconfirmed local ops and applied. A rejected op is
 * rolled back by its inverse, the buffer rebased over that inverse, and a `reject` event
 * fired. After a reconnection the client catches up (or takes a snapshot) and resends its
 * unacknowledged op with the same sequence number, which the server applies at most once.
 *
 * @example
 * const client = new OTClient(textType, { client: crypto.randomUUID(), send: (m) => socket.send(m) });
 * client.connected();
 * socket.onmessage = (m) => client.receive(m);
 * client.submit([{ retain: 5 }, { insert: ' world' }]);
 */
export class OTClient<Snapshot, Op> {
  /** This client's id. */
  readonly client: string;
  private readonly send: (message: ClientMessage<Op>) => void;
  private confirmed: Snapshot;
  private current: Snapshot;
  private seen: number;
  private nextSeq: number;
  private inflight: InFlight<Op> | undefined;
  private buffer: Op | undefined;
  private link: Connection = 'offline';
  private readonly changeListeners = new Set<(event: DocumentChange<Snapshot, Op>) => void>();
  private readonly rejectListeners = new Set<(event: RejectEvent<Op>) => void>();

  /**
   * @throws {RangeError} when `revision` or `nextSeq` is not a non-negative safe integer,
   *   or `client` is empty or too long; {@link TypeError} when `client` is not a string.
   */
  constructor(
    /** The OT type of the document. */
    readonly type: OTType<Snapshot, Op>,
    options: OTClientOptions<Snapshot, Op>,
  ) {
    this.client = checkReplicaId(options.client, 'client');
    this.send = options.send;
    this.seen = counter(options.revision ?? 0, 'revision');
    this.nextSeq = counter(options.nextSeq ?? 0, 'nextSeq');
    this.confirmed = options.snapshot === undefined ? type.create() : options.snapshot;
    this.current = this.confirmed;
  }

  /** The document as this client sees it: the confirmed document plus unconfirmed local ops. */
  get document(): Snapshot {
    return this.current;
  }

  /** The server document at {@link revision}, without this client's unconfirmed ops. */
  get confirmedDocument(): Snapshot {
    return this.confirmed;
  }

  /** The newest server revision this client has seen. */
  get revision(): number {
    return this.seen;
  }

  /** Which of the three states the client is in. */
  get state(): ClientState {
    if (this.inflight === undefined) return 'synchronised';
    return this.buffer === undefined ? 'awaiting-confirmation' : 'awaiting-with-buffer';
  }

  /** The state of the link to the server. */
  get connection(): Connection {
    return this.link;
  }

  /** The sequence number the next op sent will carry; persist it with the client id. */
  get sequence(): number {
    return this.nextSeq;
  }

  /**
   * The local ops the server has not confirmed: the op in flight with the sequence number
   * it is sent under, and the later ops composed into the buffer. To resume after a
   * restart, persist them with {@link confirmedDocument}, {@link revision} and
   * {@link sequence}; then a new client with that snapshot and revision, and `nextSeq` set
   * to the in-flight `seq`, that submits the op in flight and then the buffer sends them
   * under the same sequence numbers, so the server applies each at most once.
   */
  get unconfirmed(): { readonly inflight: { readonly seq: number; readonly op: Op } | undefined; readonly buffer: Op | undefined } {
    return { inflight: this.inflight, buffer: this.buffer };
  }

  /**
   * Applies a local op to {@link document} now and queues it for the server: sent at once
   * when online and nothing is in flight, else composed into the buffer.
   * @throws whatever the type throws when `op` is malformed or does not apply to the
   *   document; the client is then unchanged.
   */
  submit(op: Op): void {
    const before = this.current;
    const after = this.type.apply(before, op);
    const buffer = this.inflight === undefined ? undefined : this.buffer === undefined ? op : this.type.compose(this.buffer, op);
    this.current = after;
    if (this.inflight === undefined) {
      this.inflight = { seq: this.nextSeq++, op };
      if (this.link === 'online') this.sendInFlight();
    } else {
      this.buffer = buffer;
    }
    this.emitChange({ kind: 'op', origin: 'local', op, before, after });
  }

  /**
   * Joins the server over a new connection: sends hello; the op in flight is resent once
   * the server answers. Call it once per connection, after {@link disconnected} for the
   * previous one.
   */
  connected(): void {
    this.link = 'joining';
    this.send({ kind: 'hello', client: this.client, revision: this.seen });
  }

  /** Notes that the connection closed. Local ops still apply and wait for {@link connected}. */
  disconnected(): void {
    this.link = 'offline';
  }

  /**
   * Handles one server message. A message about a revision already seen (a duplicate) is
   * ignored, as are a `reject` or `retry` about an op no longer in flight.
   * @throws {ProtocolError} `malformed-message` for a bad shape, `revision-gap` when it
   *   skips revisions, `unexpected-message` when it cannot happen in this state,
   *   `invalid-op` when its op or snapshot does not transform or apply; the client is then
   *   unchanged.
   */
  receive(message: unknown): void {
    const read = readServerMessage(message);
    switch (read.kind) {
      case 'ack':
        return this.acknowledge(read);
      case 'remote':
        // The op is unknown data until the type accepts it below.
        return this.remote(read as RemoteMessage<Op>);
      case 'ready':
        if (this.link !== 'joining') throw new ProtocolError('unexpected-message', `ready while ${this.link}`);
        if (read.revision !== this.seen) {
          throw new ProtocolError('revision-gap', `ready at revision ${read.revision}, but the client has seen ${this.seen}`);
        }
        this.link = 'online';
        if (this.inflight !== undefined) this.sendInFlight();
        return;
      case 'snapshot':
        return this.rebase(read);
      case 'reject':
        return this.rejected(read);
      case 'retry':
        return this.retry(read);
    }
  }

  /**
   * Listens for changes to {@link document}, local ones included. Returns an unsubscribe
   * function.
   */
  on(event: 'change', listener: (event: DocumentChange<Snapshot, Op>) => void): () => void;
  /** Listens for local ops taken back. Returns an unsubscribe function. */
  on(event: 'reject', listener: (event: RejectEvent<Op>) => void): () => void;
  on(
    event: 'change' | 'reject',
    listener: ((event: DocumentChange<Snapshot, Op>) => void) | ((event: RejectEvent<Op>) => void),
  ): () => void {
    const set: Set<typeof listener> = event === 'change' ? this.changeListeners : this.rejectListeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  private acknowledge(message: AckMessage): void {
    if (message.revision <= this.seen) return;
    this.expectNext(message.revision, 'ack');
    const inflight = this.inflight;
    if (inflight === undefined || inflight.seq !== message.seq) {
      throw new ProtocolError('unexpected-message', `ack of op ${message.seq}, but ${inflight === undefined ? 'no op' : `op ${inflight.seq}`} is in flight`);
    }
    this.confirmed = this.guard(() => this.type.apply(this.confirmed, inflight.op));
    this.seen = message.revision;
    this.inflight = undefined;
    this.flushBuffer();
  }

  private remote(message: RemoteMessage<Op>): void {
    if (message.revision <= this.seen) return;
    this.expectNext(message.revision, 'remote op');
    const before = this.current;
    const next = this.guard(() => {
      let op = message.op;
      const confirmed = this.type.apply(this.confirmed, op);
      let inflight = this.inflight;
      if (inflight !== undefined) {
        const mine = inflight.op;
        inflight = { seq: inflight.seq, op: this.type.transform(mine, op, 'left') };
        op = this.type.transform(op, mine, 'right');
      }
      let buffer = this.buffer;
      if (buffer !== undefined) {
        const mine = buffer;
        buffer = this.type.transform(mine, op, 'left');
        op = this.type.transform(op, mine, 'right');
      }
      return { op, confirmed, inflight, buffer, after: this.type.apply(before, op) };
    });
    this.confirmed = next.confirmed;
    this.inflight = next.inflight;
    this.buffer = next.buffer;
    this.current = next.after;
    this.seen = message.revision;
    this.emitChange({ kind: 'op', origin: 'remote', op: next.op, before, after: next.after });
  }

  private rejected(message: RejectMessage): void {
    const inflight = this.inflight;
    if (inflight === undefined || inflight.seq !== message.seq) {
      if (message.seq >= this.nextSeq) {
        throw new ProtocolError('unexpected-message', `reject of op ${message.seq}, which this client never sent`);
      }
      return;
    }
    const before = this.current;
    const rejection: RejectEvent<Op> = { seq: inflight.seq, reason: message.reason, detail: message.detail, op: inflight.op };
    const separated = this.separate(inflight, this.buffer);
    let after: Snapshot | undefined;
    try {
      if (separated !== undefined) after = this.type.apply(before, separated.undo);
    } catch {
      after = undefined;
    }
    this.inflight = undefined;
    if (separated !== undefined && after !== undefined) {
      this.current = after;
      this.buffer = separated.buffer;
      this.flushBuffer();
      this.emitChange({ kind: 'op', origin: 'rollback', op: separated.undo, before, after });
      this.emitReject(rejection);
      return;
    }
    // The type cannot invert the op: fall back to the confirmed document, dropping the
    // buffered ops that were made on top of the rejected one.
    const dropped = this.buffer;
    this.current = this.confirmed;
    this.buffer = undefined;
    this.emitChange({ kind: 'reset', origin: 'rollback', before, after: this.confirmed });
    this.emitReject(rejection);
    if (dropped !== undefined) this.emitReject(dependent(inflight.seq, dropped));
  }

  /**
   * Splits a rejected op in flight from the buffer made on top of it: `undo` removes the
   * op from the document, `buffer` is the buffer rebased to apply to the confirmed
   * document. Undefined when the type cannot invert the op.
   */
  private separate(inflight: InFlight<Op>, buffer: Op | undefined): { readonly undo: Op; readonly buffer: Op | undefined } | undefined {
    try {
      const inverse = invertAt(this.type, inflight.op, this.confirmed);
      if (buffer === undefined) return { undo: inverse, buffer };
      return { undo: this.type.transform(inverse, buffer, 'right'), buffer: this.type.transform(buffer, inverse, 'left') };
    } catch {
      return undefined;
    }
  }

  private retry(message: RetryMessage): void {
    if (this.link === 'online' && this.inflight !== undefined && this.inflight.seq === message.seq) this.sendInFlight();
  }

  /**
   * Adopts a server snapshot: the history between the client's revision and the server's
   * is gone, so unsent ops are rebased over `type.diff` when the type has it, else
   * re-applied at their old positions (README.md, "Snapshots").
   */
  private rebase(message: SnapshotMessage): void {
    if (this.link !== 'joining') throw new ProtocolError('unexpected-message', `snapshot while ${this.link}`);
    const { receipt } = message;
    const inflight = this.inflight;
    if (inflight !== undefined && receipt.kind !== 'none' && receipt.kind !== 'forgotten' && receipt.seq > inflight.seq) {
      throw new ProtocolError('unexpected-message', `snapshot receipt names op ${receipt.seq}, newer than op ${inflight.seq} in flight`);
    }
    // The snapshot is unknown data until the type accepts it.
    const snapshot = this.guard(() =>
      typeof this.type.deserialize === 'function' ? this.type.deserialize(message.snapshot) : (message.snapshot as Snapshot),
    );
    const rejections: RejectEvent<Op>[] = [];
    // The ops still to send, composed, and the document they were made on.
    let pending: Op | undefined;
    let base = this.confirmed;
    const after = this.guard(() => {
      if (inflight === undefined) {
        pending = this.buffer;
      } else if (receipt.kind === 'applied' && receipt.seq === inflight.seq) {
        pending = this.buffer;
        base = this.type.apply(this.confirmed, inflight.op);
      } else if (receipt.kind === 'rejected' && receipt.seq === inflight.seq) {
        rejections.push({ seq: inflight.seq, reason: receipt.reason, detail: 'refused while this client was away', op: inflight.op });
        const separated = this.separate(inflight, this.buffer);
        pending = separated?.buffer;
        if (separated === undefined && this.buffer !== undefined) rejections.push(dependent(inflight.seq, this.buffer));
      } else if (receipt.kind === 'forgotten') {
        rejections.push({ seq: inflight.seq, reason: 'unconfirmed', detail: 'the server forgot whether it applied this op', op: inflight.op });
        pending = this.buffer;
        base = this.type.apply(this.confirmed, inflight.op);
      } else {
        pending = this.buffer === undefined ? inflight.op : this.type.compose(inflight.op, this.buffer);
      }
      if (pending !== undefined && typeof this.type.diff === 'function') {
        pending = this.type.transform(pending, this.type.diff(base, snapshot), 'left');
      }
      if (pending === undefined) return snapshot;
      try {
        return this.type.apply(snapshot, pending);
      } catch (error) {
        rejections.push({ seq: undefined, reason: 'history-pruned', detail: `no longer applies after the snapshot: ${describeError(error)}`, op: pending });
        pending = undefined;
        return snapshot;
      }
    });
    const before = this.current;
    this.confirmed = snapshot;
    this.current = after;
    this.seen = message.revision;
    this.inflight = undefined;
    this.buffer = pending;
    this.link = 'online';
    this.flushBuffer();
    this.emitChange({ kind: 'reset', origin: 'snapshot', before, after });
    for (const rejection of rejections) this.emitReject(rejection);
  }

  /** Moves the buffer into flight under a new sequence number, sending it when online. */
  private flushBuffer(): void {
    if (this.inflight !== undefined || this.buffer === undefined) return;
    this.inflight = { seq: this.nextSeq++, op: this.buffer };
    this.buffer = undefined;
    if (this.link === 'online') this.sendInFlight();
  }

  private sendInFlight(): void {
    const { seq, op } = this.inflight!;
    this.send({ kind: 'op', client: this.client, seq, base: this.seen, op });
  }

  private expectNext(revision: number, what: string): void {
    if (revision !== this.seen + 1) {
      throw new ProtocolError('revision-gap', `${what} for revision ${revision}, but the client has seen ${this.seen}`);
    }
  }

  /** Runs type calls on received data, turning their failures into `invalid-op`. */
  private guard<T>(compute: () => T): T {
    try {
      return compute();
    } catch (error) {
      throw new ProtocolError('invalid-op', `the server's op or snapshot is not valid here: ${describeError(error)}`, { cause: error });
    }
  }

  private emitChange(event: DocumentChange<Snapshot, Op>): void {
    for (const listener of [...this.changeListeners]) listener(event);
  }

  private emitReject(event: RejectEvent<Op>): void {
    for (const listener of [...this.rejectListeners]) listener(event);
  }
}

function dependent<Op>(seq: number, op: Op): RejectEvent<Op> {
  return { seq: undefined, reason: 'depends-on-rejected', detail: `made after op ${seq}, which was rejected and cannot be inverted`, op };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function counter(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}
