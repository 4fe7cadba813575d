/**
 * The authoritative end of the control algorithm: one document, its revision log, and the
 * rules that decide what each client's op becomes. README.md in this folder states the
 * protocol and its guarantees.
 */
import {
  readClientMessage,
  type Envelope,
  type HelloMessage,
  type OpMessage,
  type Receipt,
  type RejectReason,
  type ServerMessage,
} from './messages.js';
import type { OTType } from './type.js';

/** How an {@link OTServer} starts and how much it remembers. */
export interface OTServerOptions<Snapshot> {
  /** The document at `revision`; defaults to `type.create()`. */
  readonly snapshot?: Snapshot;
  /** The revision of `snapshot`; defaults to 0. */
  readonly revision?: number;
  /**
   * How many ops of history to keep for transforming ops made on older revisions; default
   * 1000. A hello from a client further behind is answered with a snapshot; an op based
   * further back is answered with `retry`. Keep it above the ops made in a round trip.
   */
  readonly retention?: number;
  /**
   * How many clients the de-duplication table remembers; default 100000. When it is full,
   * the client whose last op is oldest is forgotten (see README.md, "De-duplication").
   */
  readonly maxClients?: number;
}

/** The server's memory of a client's most recent op. */
interface Outcome {
  readonly seq: number;
  /** The server's revision when the op was processed: the revision it made, if applied. */
  readonly revision: number;
  readonly result: 'applied' | RejectReason;
}

/** One applied op and who sent it, so a catch-up can acknowledge a client's own ops. */
interface LogEntry<Op> {
  readonly client: string;
  readonly seq: number;
  readonly op: Op;
}

/**
 * Holds the authoritative document and applies clients' ops in one order. Each op is
 * transformed from its base revision over the ops applied since, applied, acknowledged to
 * its author and broadcast to every other joined client.
 *
 * Rules, in the order they are checked for an op message:
 * 1. an op already processed (same client and `seq`) is answered as before (`ack` with the
 *    revision it made, or the same `reject`) and never applied twice; an older `seq` is a
 *    stale copy and is ignored;
 * 2. an op based on a revision the server has not reached is rejected (`future-revision`);
 * 3. an op based on a revision older than the retained history (or, from a client whose
 *    de-duplication entry was evicted, older than the eviction) gets `retry`;
 * 4. an op the type cannot normalise or transform is rejected (`invalid-op`), one that does
 *    not apply to the document is rejected (`does-not-fit`); the server is unchanged.
 *
 * The server is transport-agnostic: {@link receive} returns the messages to deliver, each
 * addressed to a client, and the transport delivers them in order per client.
 *
 * @example
 * const server = new OTServer(textType);
 * for (const { to, message } of server.receive(incoming)) links.get(to)?.send(message);
 */
export class OTServer<Snapshot, Op> {
  private document: Snapshot;
  private current: number;
  /** Applied ops; `log[start + i]` made revision `floor + i + 1`. */
  private log: LogEntry<Op>[] = [];
  private start = 0;
  private readonly retention: number;
  private readonly maxClients: number;
  /** Last op outcome per client, least recently active first. */
  private readonly outcomes = new Map<string, Outcome>();
  /** Highest revision of an outcome the table has evicted; 0 when none. */
  private forgottenThrough = 0;
  private readonly joined = new Set<string>();

  /**
   * @throws {RangeError} when `revision`, `retention` or `maxClients` is not a
   *   non-negative safe integer, or `maxClients` is 0.
   */
  constructor(
    private readonly type: OTType<Snapshot, Op>,
    options: OTServerOptions<Snapshot> = {},
  ) {
    this.current = counter(options.revision ?? 0, 'revision');
    this.retention = counter(options.retention ?? 1000, 'retention');
    this.maxClients = counter(options.maxClients ?? 100_000, 'maxClients');
    if (this.maxClients === 0) throw new RangeError('maxClients must be at least 1');
    this.document = options.snapshot === undefined ? type.create() : options.snapshot;
  }

  /** The number of ops applied: the revision of {@link snapshot}. */
  get revision(): number {
    return this.current;
  }

  /** The authoritative document. */
  get snapshot(): Snapshot {
    return this.document;
  }

  /** The oldest revision an op can be based on and still be transformed. */
  get floor(): number {
    return this.current - (this.log.length - this.start);
  }

  /**
   * The op that made `revision` (as applied, after transformation) and who sent it, while
   * it is within the retained history; a store logs it to rebuild the server later.
   */
  applied(revision: number): { readonly client: string; readonly seq: number; readonly op: Op } | undefined {
    if (!Number.isSafeInteger(revision) || revision <= this.floor || revision > this.current) return undefined;
    return this.log[this.start + (revision - this.floor - 1)];
  }

  /** The clients that have said hello and not left, in joining order. */
  get clients(): readonly string[] {
    return [...this.joined];
  }

  /**
   * Handles one client message and returns the messages it causes, in delivery order,
   * each for a joined client. A hello joins the client and is answered by the ops it
   * missed (its own as `ack`) then `ready`, or by a `snapshot` when those ops are pruned.
   * An op from a client that has not joined (a copy arriving late over a closed
   * connection) is processed but gets no reply.
   * @throws {ProtocolError} `malformed-message` when the message's shape is wrong; the
   *   server is then unchanged. A bad op inside a well-formed message is not thrown: it
   *   is answered with `reject`.
   */
  receive(message: unknown): Envelope<Op>[] {
    const read = readClientMessage(message);
    if (read.kind === 'hello') return this.hello(read);
    const out = this.submit(read);
    // A client that has not joined would take a reply out of sequence with the ops it has
    // seen; it learns the fate of this op from the catch-up or receipt when it joins.
    return this.joined.has(read.client) ? out : out.filter((envelope) => envelope.to !== read.client);
  }

  /**
   * Stops broadcasting to `client`, whose connection closed. Its de-duplication entry is
   * kept, so a resend after it reconnects is still recognised.
   */
  leave(client: string): void {
    this.joined.delete(client);
  }

  /**
   * Drops all but the newest `keep` ops of history (the retention limit does this after
   * every op). Clients further behind then rejoin through a snapshot.
   * @throws {RangeError} when `keep` is not a non-negative safe integer.
   */
  prune(keep: number): void {
    counter(keep, 'keep');
    const kept = this.log.length - this.start;
    if (kept <= keep) return;
    this.start += kept - keep;
    if (this.start > 64 && this.start * 2 > this.log.length) {
      this.log = this.log.slice(this.start);
      this.start = 0;
    }
  }

  private hello(message: HelloMessage): Envelope<Op>[] {
    const { client, revision } = message;
    this.joined.add(client);
    if (revision < this.floor || revision > this.current) {
      const receipt = this.receipt(client, revision);
      const snapshot = typeof this.type.serialize === 'function' ? this.type.serialize(this.document) : this.document;
      return [{ to: client, message: { kind: 'snapshot', revision: this.current, snapshot, receipt } }];
    }
    const out: Envelope<Op>[] = [];
    const floor = this.floor;
    for (let r = revision + 1; r <= this.current; r++) {
      const entry = this.log[this.start + (r - floor - 1)]!;
      const reply: ServerMessage<Op> =
        entry.client === client ? { kind: 'ack', seq: entry.seq, revision: r } : { kind: 'remote', revision: r, op: entry.op };
      out.push({ to: client, message: reply });
    }
    out.push({ to: client, message: { kind: 'ready', revision: this.current } });
    return out;
  }

  private receipt(client: string, revision: number): Receipt {
    const outcome = this.outcomes.get(client);
    if (outcome === undefined) return revision >= this.forgottenThrough ? { kind: 'none' } : { kind: 'forgotten' };
    if (outcome.result === 'applied') return { kind: 'applied', seq: outcome.seq, revision: outcome.revision };
    return { kind: 'rejected', seq: outcome.seq, reason: outcome.result };
  }

  private submit(message: OpMessage<unknown>): Envelope<Op>[] {
    const { client, seq, base } = message;
    const previous = this.outcomes.get(client);
    if (previous !== undefined && seq <= previous.seq) {
      if (seq < previous.seq) return [];
      if (previous.result === 'applied') return [{ to: client, message: { kind: 'ack', seq, revision: previous.revision } }];
      return [{ to: client, message: reject(seq, previous.result, 'this op was refused before') }];
    }
    if (base > this.current) {
      return this.refuse(client, seq, 'future-revision', `based on revision ${base}, but the server is at ${this.current}`);
    }
    // Without an outcome, an op based before an evicted outcome might be a copy of it.
    const oldest = previous === undefined ? Math.max(this.floor, this.forgottenThrough) : this.floor;
    if (base < oldest) return [{ to: client, message: { kind: 'retry', seq } }];

    // The op is unknown data until the type accepts it: normalize or transform throws for
    // a malformed op, and apply for one that does not fit.
    let op = message.op as Op;
    try {
      if (typeof this.type.normalize === 'function') op = this.type.normalize(op);
      const floor = this.floor;
      for (let r = base; r < this.current; r++) {
        op = this.type.transform(op, this.log[this.start + (r - floor)]!.op, 'left');
      }
    } catch (error) {
      return this.refuse(client, seq, 'invalid-op', reason(error));
    }
    let document: Snapshot;
    try {
      document = this.type.apply(this.document, op);
    } catch (error) {
      return this.refuse(client, seq, 'does-not-fit', reason(error));
    }

    this.document = document;
    this.current += 1;
    this.log.push({ client, seq, op });
    this.remember(client, { seq, revision: this.current, result: 'applied' });
    this.prune(this.retention);
    const out: Envelope<Op>[] = [{ to: client, message: { kind: 'ack', seq, revision: this.current } }];
    for (const other of this.joined) {
      if (other !== client) out.push({ to: other, message: { kind: 'remote', revision: this.current, op } });
    }
    return out;
  }

  private refuse(client: string, seq: number, why: RejectReason, detail: string): Envelope<Op>[] {
    this.remember(client, { seq, revision: this.current, result: why });
    return [{ to: client, message: reject(seq, why, detail) }];
  }

  /** Records a client's outcome as the most recent, evicting the least recent when full. */
  private remember(client: string, outcome: Outcome): void {
    this.outcomes.delete(client);
    this.outcomes.set(client, outcome);
    if (this.outcomes.size <= this.maxClients) return;
    const [oldest, evicted] = this.outcomes.entries().next().value!;
    this.outcomes.delete(oldest);
    this.forgottenThrough = Math.max(this.forgottenThrough, evicted.revision);
  }
}

function reject(seq: number, why: RejectReason, detail: string): ServerMessage<never> {
  return { kind: 'reject', seq, reason: why, detail };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function counter(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}
