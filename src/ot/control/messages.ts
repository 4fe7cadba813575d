/**
 * The wire vocabulary between {@link OTClient} and {@link OTServer}: plain, readonly,
 * JSON-serialisable objects, so any transport (the sync layer, a WebSocket, a test
 * network) can carry them. Revisions count the ops the server has applied: revision `r` is
 * the document after the first `r` ops, and an op "based on r" was made on that document.
 *
 * Client to server:
 *
 *   { kind: 'hello', client: 'c1', revision: 4 }                       join; I have seen 4
 *   { kind: 'op', client: 'c1', seq: 7, base: 4, op: [{ insert: 'x' }] }
 *                                                                      my op 7, made on 4
 *
 * Server to client:
 *
 *   { kind: 'remote', revision: 5, op: [{ insert: 'y' }] }             another client's op, making 5
 *   { kind: 'ack', seq: 7, revision: 6 }                               your op 7 made revision 6
 *   { kind: 'ready', revision: 6 }                                     catch-up after hello is over
 *   { kind: 'snapshot', revision: 90, snapshot: 'yx…', receipt }       the history you need is pruned
 *   { kind: 'reject', seq: 7, reason: 'does-not-fit', detail: '…' }    op 7 refused for good
 *   { kind: 'retry', seq: 7 }                                          op 7 not applied: resend it on your newest revision
 */
import { replicaIdProblem } from '../../codec/index.js';
import { ProtocolError } from './errors.js';

/** A client joining (or rejoining) after connecting: the newest revision it has seen. */
export interface HelloMessage {
  readonly kind: 'hello';
  /** The client's id: unique per client, 1 to 64 UTF-8 bytes. */
  readonly client: string;
  /** The revision of the client's confirmed document. */
  readonly revision: number;
}

/** A client's op, made on revision `base`; `seq` numbers the client's ops, increasing. */
export interface OpMessage<Op> {
  readonly kind: 'op';
  /** The sending client's id. */
  readonly client: string;
  /** The client's sequence number for this op; a resend carries the same `seq`. */
  readonly seq: number;
  /** The revision the op was made on (or has since been transformed to). */
  readonly base: number;
  /** The change, in the OT type's op form; the server validates it through the type. */
  readonly op: Op;
}

/** What a client sends. */
export type ClientMessage<Op> = HelloMessage | OpMessage<Op>;

/** Why the server refused an op for good. */
export type RejectReason =
  /** `base` is newer than any revision the server has made. */
  | 'future-revision'
  /** The type could not transform or normalise the op: it is malformed. */
  | 'invalid-op'
  /** The transformed op does not apply to the server's document. */
  | 'does-not-fit';

/**
 * What the server knows of a client's most recent op, sent with a snapshot so the client
 * can tell whether its unacknowledged op was applied.
 */
export type Receipt =
  /** The server has never processed an op from this client. */
  | { readonly kind: 'none' }
  /** The client's op `seq` was the last processed; it became `revision`. */
  | { readonly kind: 'applied'; readonly seq: number; readonly revision: number }
  /** The client's op `seq` was the last processed; it was refused. */
  | { readonly kind: 'rejected'; readonly seq: number; readonly reason: RejectReason }
  /** The server evicted this client from its de-duplication table and cannot tell. */
  | { readonly kind: 'forgotten' };

/** The client's op `seq` was applied and became `revision`. */
export interface AckMessage {
  readonly kind: 'ack';
  readonly seq: number;
  readonly revision: number;
}

/** Another client's op, transformed to apply on `revision - 1`, making `revision`. */
export interface RemoteMessage<Op> {
  readonly kind: 'remote';
  readonly revision: number;
  readonly op: Op;
}

/** Ends the catch-up that answers a hello: the client has now seen `revision`. */
export interface ReadyMessage {
  readonly kind: 'ready';
  readonly revision: number;
}

/**
 * Answers a hello whose revision is older than the retained history (or newer than the
 * server's): the whole document at `revision`, and the fate of the client's last op.
 */
export interface SnapshotMessage {
  readonly kind: 'snapshot';
  readonly revision: number;
  /** The document as the type's `serialize` gives it, or the snapshot itself when the type has none. */
  readonly snapshot: unknown;
  readonly receipt: Receipt;
}

/** The client's op `seq` was refused for good; `detail` says why in words. */
export interface RejectMessage {
  readonly kind: 'reject';
  readonly seq: number;
  readonly reason: RejectReason;
  readonly detail: string;
}

/**
 * The client's op `seq` was not applied because its base is older than the retained
 * history; the client resends it, same `seq`, based on its newest revision.
 */
export interface RetryMessage {
  readonly kind: 'retry';
  readonly seq: number;
}

/** What the server sends. */
export type ServerMessage<Op> =
  | AckMessage
  | RemoteMessage<Op>
  | ReadyMessage
  | SnapshotMessage
  | RejectMessage
  | RetryMessage;

/** A server message and the client it is for. */
export interface Envelope<Op> {
  readonly to: string;
  readonly message: ServerMessage<Op>;
}

const REJECT_REASONS: ReadonlySet<string> = new Set<RejectReason>(['future-revision', 'invalid-op', 'does-not-fit']);

/**
 * Checks the shape of a message a server received. The op itself is left to the OT type.
 * @throws {ProtocolError} `malformed-message` naming the field at fault.
 */
export function readClientMessage(message: unknown): ClientMessage<unknown> {
  const record = objectOf(message, 'client message');
  switch (record.kind) {
    case 'hello':
      return { kind: 'hello', client: clientOf(record), revision: counterOf(record, 'revision') };
    case 'op':
      if (!('op' in record)) malformed('op message: missing field op');
      return {
        kind: 'op',
        client: clientOf(record),
        seq: counterOf(record, 'seq'),
        base: counterOf(record, 'base'),
        op: record.op,
      };
    default:
      return malformed(`client message: unknown kind ${describe(record.kind)}`);
  }
}

/**
 * Checks the shape of a message a client received. Ops and snapshots are left to the OT
 * type.
 * @throws {ProtocolError} `malformed-message` naming the field at fault.
 */
export function readServerMessage(message: unknown): ServerMessage<unknown> {
  const record = objectOf(message, 'server message');
  switch (record.kind) {
    case 'ack':
      return { kind: 'ack', seq: counterOf(record, 'seq'), revision: counterOf(record, 'revision') };
    case 'remote':
      if (!('op' in record)) malformed('remote message: missing field op');
      return { kind: 'remote', revision: counterOf(record, 'revision'), op: record.op };
    case 'ready':
      return { kind: 'ready', revision: counterOf(record, 'revision') };
    case 'snapshot':
      if (!('snapshot' in record)) malformed('snapshot message: missing field snapshot');
      return {
        kind: 'snapshot',
        revision: counterOf(record, 'revision'),
        snapshot: record.snapshot,
        receipt: receiptOf(record.receipt),
      };
    case 'reject':
      if (typeof record.detail !== 'string') malformed('reject message: detail must be a string');
      return { kind: 'reject', seq: counterOf(record, 'seq'), reason: reasonOf(record.reason), detail: record.detail };
    case 'retry':
      return { kind: 'retry', seq: counterOf(record, 'seq') };
    default:
      return malformed(`server message: unknown kind ${describe(record.kind)}`);
  }
}

function receiptOf(value: unknown): Receipt {
  const record = objectOf(value, 'snapshot receipt');
  switch (record.kind) {
    case 'none':
    case 'forgotten':
      return { kind: record.kind };
    case 'applied':
      return { kind: 'applied', seq: counterOf(record, 'seq'), revision: counterOf(record, 'revision') };
    case 'rejected':
      return { kind: 'rejected', seq: counterOf(record, 'seq'), reason: reasonOf(record.reason) };
    default:
      return malformed(`snapshot receipt: unknown kind ${describe(record.kind)}`);
  }
}

function reasonOf(value: unknown): RejectReason {
  if (typeof value === 'string' && REJECT_REASONS.has(value)) return value as RejectReason;
  return malformed(`reject reason must be one of ${[...REJECT_REASONS].join(', ')}, got ${describe(value)}`);
}

function objectOf(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    malformed(`${what} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function clientOf(record: Record<string, unknown>): string {
  const problem = replicaIdProblem(record.client);
  if (problem !== undefined) malformed(`field client: ${problem.replace('a replica id', 'a client id')}`);
  return record.client as string;
}

/** A revision or sequence number: a safe integer, zero or more. */
function counterOf(record: Record<string, unknown>, field: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    malformed(`field ${field} must be a non-negative safe integer, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function malformed(message: string): never {
  throw new ProtocolError('malformed-message', message);
}
