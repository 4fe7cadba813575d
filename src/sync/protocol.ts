/**
 * The sync protocol's messages: readonly discriminated unions, each one frame of the
 * delta format (`FORMAT.md` section 4.9, tags 0x30–0x3F), over any transport that moves
 * bytes both ways in order.
 *
 *   client → server: hello, subscribe, unsubscribe, update, ot, presence, join, leave,
 *                    action, ping
 *   server → client: welcome, synced, update, ack, ot, presence, action, error, pong
 *
 * A session: `hello` → `welcome`; `subscribe { doc, type, version }` → `synced { doc,
 * version, update }` holding what the client lacks, after which the client sends an
 * `update` holding what the server lacks (cut from the server's version). Every `update`
 * a client sends carries a `seq`; the server answers `ack { doc, seq }` once the update is
 * durable, or `error` naming it.
 */
import {
  DecodeError,
  JsonTwin,
  Reader,
  Writer,
  decodeFrame,
  encodeFrame,
  expectObject,
  expectString,
  expectUint,
  isWellFormed,
  ingestValue,
  readValue,
  replicaIdProblem,
  resolveLimits,
  unframe,
  utf8Length,
  writeValue,
  type DecodeLimits,
  type FrameJSON,
  type JsonValue,
  type PayloadCodec,
} from '../codec/index.js';
import { VersionVector, type Version } from '../crdt/index.js';

/** The protocol version this module speaks. */
export const PROTOCOL_VERSION = 1;

/** Longest document or channel id, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

/**
 * What kind of document a subscription is for: a replicated type by its format name
 * (`text`, `list`, `pncounter`, `aw-map`, …), or an OT document (`ot-text`, `ot-rich-text`).
 */
export type DocType = string;

/** Error codes the server sends. */
export type SyncErrorCode =
  /** The frame could not be decoded, or a message was out of place. */
  | 'malformed'
  /** `hello` named a protocol version the server does not speak. */
  | 'unsupported-protocol'
  /** `authorize` refused the subscription, or the client may only read. */
  | 'forbidden'
  /** The document exists with another type. */
  | 'type-mismatch'
  /** The update or op could not be applied; nothing of it was. */
  | 'rejected'
  /** A frame, document count or message rate passed the server's limits. */
  | 'limit-exceeded'
  /** An action outside the channel's allow-list or size limit; it was dropped. */
  | 'action-refused'
  /** The message names a document the client has not subscribed to. */
  | 'not-subscribed'
  /** The server failed; retry later. */
  | 'internal';

/** The first message of a connection: who the client is and its credentials. */
export interface Hello {
  readonly kind: 'hello';
  readonly protocol: number;
  /** The client's id, 1 to 64 UTF-8 bytes; also the replica id of its documents. */
  readonly client: string;
  /** Credentials for `authorize`, or null. */
  readonly token: string | null;
}

/** The server's answer to `hello`: heartbeat interval in milliseconds. */
export interface Welcome {
  readonly kind: 'welcome';
  readonly protocol: number;
  readonly heartbeat: number;
}

/** Opens a document: its type and the version (for OT documents: `{ revision: n }`) the client holds. */
export interface Subscribe {
  readonly kind: 'subscribe';
  readonly doc: string;
  readonly type: DocType;
  readonly version: Version;
}

/** The answer to `subscribe`: the server's version, and an update holding what the client lacks. */
export interface Synced {
  readonly kind: 'synced';
  readonly doc: string;
  readonly version: Version;
  /** A frame of the document's type; empty for OT documents (they catch up through `ot`). */
  readonly update: Uint8Array;
  /** Whether the client may write. */
  readonly writable: boolean;
}

/** Closes a document. */
export interface Unsubscribe {
  readonly kind: 'unsubscribe';
  readonly doc: string;
}

/**
 * A replicated update. From a client, `seq` numbers its updates on the connection for
 * the `ack`; from the server (another client's change), `seq` is 0.
 */
export interface Update {
  readonly kind: 'update';
  readonly doc: string;
  readonly seq: number;
  readonly update: Uint8Array;
}

/** The client's update `seq` on `doc` is durable on the server. */
export interface Ack {
  readonly kind: 'ack';
  readonly doc: string;
  readonly seq: number;
}

/** An OT control message (`tandem/ot`'s `ClientMessage` or `ServerMessage`) for `doc`, as JSON. */
export interface OTEnvelope {
  readonly kind: 'ot';
  readonly doc: string;
  readonly message: JsonValue;
}

/**
 * Presence on a document: from a client, its own state (null: it leaves); from the
 * server, a peer's state, null when the peer left or expired.
 */
export interface Presence {
  readonly kind: 'presence';
  readonly doc: string;
  /** The peer's client id; empty in a client's own message. */
  readonly client: string;
  readonly state: JsonValue | null;
}

/** Joins a channel of the action relay. */
export interface Join {
  readonly kind: 'join';
  readonly channel: string;
}

/** Leaves a channel. */
export interface Leave {
  readonly kind: 'leave';
  readonly channel: string;
}

/**
 * An app action relayed to everyone else in a channel: `{ type, ... }`. From the server,
 * `client` is the sender; in a client's own message it is empty.
 */
export interface Action {
  readonly kind: 'action';
  readonly channel: string;
  readonly client: string;
  readonly action: { readonly type: string; readonly [key: string]: JsonValue };
}

/** Something went wrong; `doc` and `seq` say what it concerns, when anything. */
export interface SyncError {
  readonly kind: 'error';
  readonly code: SyncErrorCode;
  readonly message: string;
  readonly doc: string;
  readonly seq: number;
}

/** A heartbeat; the other side answers `pong` with the same nonce. */
export interface Ping {
  readonly kind: 'ping';
  readonly nonce: number;
}

/** The answer to a `ping`. */
export interface Pong {
  readonly kind: 'pong';
  readonly nonce: number;
}

/** Every message. */
export type Message =
  | Hello
  | Welcome
  | Subscribe
  | Synced
  | Unsubscribe
  | Update
  | Ack
  | OTEnvelope
  | Presence
  | Join
  | Leave
  | Action
  | SyncError
  | Ping
  | Pong;

/** What a client sends. */
export type ClientMessage = Hello | Subscribe | Unsubscribe | Update | OTEnvelope | Presence | Join | Leave | Action | Ping;

/** What a server sends. */
export type ServerMessage = Welcome | Synced | Update | Ack | OTEnvelope | Presence | Action | SyncError | Pong;

const ERROR_CODES: ReadonlySet<string> = new Set<SyncErrorCode>([
  'malformed',
  'unsupported-protocol',
  'forbidden',
  'type-mismatch',
  'rejected',
  'limit-exceeded',
  'action-refused',
  'not-subscribed',
  'internal',
]);

/** Problem with a document or channel id, or undefined. */
export function nameProblem(name: unknown, what: string): string | undefined {
  if (typeof name !== 'string') return `${what} must be a string`;
  if (name.length === 0) return `${what} must not be empty`;
  if (name.length > MAX_NAME_BYTES || utf8Length(name) > MAX_NAME_BYTES) return `${what} has at most ${MAX_NAME_BYTES} UTF-8 bytes`;
  if (!isWellFormed(name)) return `${what} must be well-formed UTF-16 (no lone surrogate)`;
  return undefined;
}

function readName(r: Reader, what: string): string {
  const name = r.str();
  const problem = nameProblem(name, what);
  if (problem !== undefined) throw r.error('invalid-value', problem);
  return name;
}

function readVersionMap(r: Reader): Version {
  const n = r.count(2);
  const out: Record<string, number> = {};
  let previous: string | undefined;
  for (let i = 0; i < n; i++) {
    const replica = r.str();
    const problem = replicaIdProblem(replica);
    if (problem !== undefined) throw r.error('invalid-value', problem);
    if (previous !== undefined && !(previous < replica)) throw r.error('non-canonical', 'version entries are sorted by replica');
    previous = replica;
    const counter = r.uint();
    if (counter === 0) throw r.error('non-canonical', 'version counters are ≥ 1');
    Object.defineProperty(out, replica, { value: counter, enumerable: true, writable: false, configurable: false });
  }
  return Object.freeze(out);
}

function writeVersionMap(w: Writer, version: Version): void {
  const entries = Object.keys(version)
    .filter((k) => version[k]! > 0)
    .sort();
  w.uint(entries.length);
  for (const replica of entries) {
    w.str(replica);
    w.uint(version[replica]!);
  }
}

/** One message kind's frame layout. */
interface MessageCodec<M extends Message> extends PayloadCodec<M> {
  readonly kind: M['kind'];
}

function codec<M extends Message>(
  tag: number,
  kind: M['kind'],
  write: (w: Writer, m: M) => void,
  read: (r: Reader) => Omit<M, 'kind'>,
): MessageCodec<M> {
  return {
    tag,
    kind,
    name: `sync-${kind}`,
    write,
    read: (r) => Object.freeze({ kind, ...read(r) }) as M,
    toJSON: (m) => {
      const { kind: _, ...rest } = m as M & Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(rest)) out[key] = value instanceof Uint8Array ? Array.from(value) : value;
      return out;
    },
    fromJSON: (json, limits) => messageFromJSON(kind, json, limits) as M,
  };
}

const CODECS = [
  codec<Hello>(
    0x30,
    'hello',
    (w, m) => {
      w.uint(m.protocol);
      w.str(m.client);
      w.u8(m.token === null ? 0 : 1);
      if (m.token !== null) w.str(m.token);
    },
    (r) => {
      const protocol = r.uint();
      const client = r.str();
      const problem = replicaIdProblem(client);
      if (problem !== undefined) throw r.error('invalid-value', `client: ${problem}`);
      const has = r.u8();
      if (has > 1) throw r.error('invalid-value', 'token flag is 0 or 1');
      return { protocol, client, token: has === 1 ? r.str() : null };
    },
  ),
  codec<Welcome>(
    0x31,
    'welcome',
    (w, m) => {
      w.uint(m.protocol);
      w.uint(m.heartbeat);
    },
    (r) => ({ protocol: r.uint(), heartbeat: r.uint() }),
  ),
  codec<Subscribe>(
    0x32,
    'subscribe',
    (w, m) => {
      w.str(m.doc);
      w.str(m.type);
      writeVersionMap(w, m.version);
    },
    (r) => ({ doc: readName(r, 'doc'), type: readName(r, 'type'), version: readVersionMap(r) }),
  ),
  codec<Synced>(
    0x33,
    'synced',
    (w, m) => {
      w.str(m.doc);
      writeVersionMap(w, m.version);
      w.bytes(m.update);
      w.u8(m.writable ? 1 : 0);
    },
    (r) => {
      const doc = readName(r, 'doc');
      const version = readVersionMap(r);
      const update = r.byteArray();
      const writable = r.u8();
      if (writable > 1) throw r.error('invalid-value', 'writable is 0 or 1');
      return { doc, version, update, writable: writable === 1 };
    },
  ),
  codec<Unsubscribe>(
    0x34,
    'unsubscribe',
    (w, m) => w.str(m.doc),
    (r) => ({ doc: readName(r, 'doc') }),
  ),
  codec<Update>(
    0x35,
    'update',
    (w, m) => {
      w.str(m.doc);
      w.uint(m.seq);
      w.bytes(m.update);
    },
    (r) => ({ doc: readName(r, 'doc'), seq: r.uint(), update: r.byteArray() }),
  ),
  codec<Ack>(
    0x36,
    'ack',
    (w, m) => {
      w.str(m.doc);
      w.uint(m.seq);
    },
    (r) => ({ doc: readName(r, 'doc'), seq: r.uint() }),
  ),
  codec<OTEnvelope>(
    0x37,
    'ot',
    (w, m) => {
      w.str(m.doc);
      writeValue(w, m.message);
    },
    (r) => ({ doc: readName(r, 'doc'), message: readValue(r) }),
  ),
  codec<Presence>(
    0x38,
    'presence',
    (w, m) => {
      w.str(m.doc);
      w.str(m.client);
      w.u8(m.state === null ? 0 : 1);
      if (m.state !== null) writeValue(w, m.state);
    },
    (r) => {
      const doc = readName(r, 'doc');
      const client = r.str();
      if (client !== '' && replicaIdProblem(client) !== undefined) throw r.error('invalid-value', `client: ${replicaIdProblem(client)}`);
      const has = r.u8();
      if (has > 1) throw r.error('invalid-value', 'state flag is 0 or 1');
      return { doc, client, state: has === 1 ? readValue(r) : null };
    },
  ),
  codec<Join>(
    0x39,
    'join',
    (w, m) => w.str(m.channel),
    (r) => ({ channel: readName(r, 'channel') }),
  ),
  codec<Leave>(
    0x3a,
    'leave',
    (w, m) => w.str(m.channel),
    (r) => ({ channel: readName(r, 'channel') }),
  ),
  codec<Action>(
    0x3b,
    'action',
    (w, m) => {
      w.str(m.channel);
      w.str(m.client);
      writeValue(w, m.action);
    },
    (r) => {
      const channel = readName(r, 'channel');
      const client = r.str();
      if (client !== '' && replicaIdProblem(client) !== undefined) throw r.error('invalid-value', `client: ${replicaIdProblem(client)}`);
      const action = readValue(r);
      if (typeof action !== 'object' || action === null || Array.isArray(action) || typeof (action as { type?: unknown }).type !== 'string') {
        throw r.error('invalid-value', 'an action is an object with a string type');
      }
      return { channel, client, action: action as Action['action'] };
    },
  ),
  codec<SyncError>(
    0x3c,
    'error',
    (w, m) => {
      w.str(m.code);
      w.str(m.message);
      w.str(m.doc);
      w.uint(m.seq);
    },
    (r) => {
      const code = r.str();
      if (!ERROR_CODES.has(code)) throw r.error('invalid-value', `unknown error code ${JSON.stringify(code)}`);
      return { code: code as SyncErrorCode, message: r.str(), doc: r.str(), seq: r.uint() };
    },
  ),
  codec<Ping>(
    0x3d,
    'ping',
    (w, m) => w.uint(m.nonce),
    (r) => ({ nonce: r.uint() }),
  ),
  codec<Pong>(
    0x3e,
    'pong',
    (w, m) => w.uint(m.nonce),
    (r) => ({ nonce: r.uint() }),
  ),
] as const;

const BY_KIND = new Map<string, MessageCodec<Message>>(CODECS.map((c) => [c.kind, c as unknown as MessageCodec<Message>]));
const BY_TAG = new Map<number, MessageCodec<Message>>(CODECS.map((c) => [c.tag, c as unknown as MessageCodec<Message>]));
/** Every sync message tag. */
export const SYNC_TAGS: ReadonlySet<number> = new Set(BY_TAG.keys());

/**
 * Encodes a message as one frame.
 * @throws {TypeError} when the message is not one this protocol defines.
 */
export function encodeMessage(message: Message): Uint8Array {
  const c = typeof message === 'object' && message !== null ? BY_KIND.get(message.kind) : undefined;
  if (c === undefined) throw new TypeError(`not a sync message: ${String((message as { kind?: unknown })?.kind)}`);
  return encodeFrame(c, message);
}

/**
 * Decodes one frame into a message, checking every field.
 * @throws {DecodeError} when the bytes are not a valid sync message.
 */
export function decodeMessage(bytes: Uint8Array, limits: DecodeLimits): Message {
  const { tag } = unframe(bytes, limits);
  const c = BY_TAG.get(tag);
  if (c === undefined) throw new DecodeError('unknown-type', `type tag 0x${tag.toString(16)} is not a sync message`, 3);
  return decodeFrame(c, bytes, limits, SYNC_TAGS);
}

function messageFromJSON(kind: string, json: unknown, limits: DecodeLimits): Message {
  const o = expectObject(json, 'payload');
  const bytes = (v: unknown, path: string): Uint8Array => {
    if (!Array.isArray(v) || v.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) {
      throw new DecodeError('invalid-value', `${path} must be an array of bytes`);
    }
    if (v.length > limits.maxBytes) throw new DecodeError('limit-exceeded', `${path} is longer than maxBytes`);
    return Uint8Array.from(v as number[]);
  };
  const value = (v: unknown, path: string): JsonValue => {
    try {
      return ingestValue(v, path, limits);
    } catch (error) {
      throw new DecodeError('invalid-value', `${path}: ${(error as Error).message}`);
    }
  };
  const str = (v: unknown, path: string): string => expectString(v, path);
  const version = (v: unknown, path: string): Version => {
    try {
      return VersionVector.from(v as Version, path).toJSON();
    } catch (error) {
      throw new DecodeError('invalid-value', `${path}: ${(error as Error).message}`);
    }
  };
  switch (kind) {
    case 'hello':
      return { kind, protocol: expectUint(o.protocol, 'payload.protocol'), client: str(o.client, 'payload.client'), token: o.token === null ? null : str(o.token, 'payload.token') };
    case 'welcome':
      return { kind, protocol: expectUint(o.protocol, 'payload.protocol'), heartbeat: expectUint(o.heartbeat, 'payload.heartbeat') };
    case 'subscribe':
      return { kind, doc: str(o.doc, 'payload.doc'), type: str(o.type, 'payload.type'), version: version(o.version, 'payload.version') };
    case 'synced':
      return { kind, doc: str(o.doc, 'payload.doc'), version: version(o.version, 'payload.version'), update: bytes(o.update, 'payload.update'), writable: o.writable === true };
    case 'unsubscribe':
      return { kind, doc: str(o.doc, 'payload.doc') };
    case 'update':
      return { kind, doc: str(o.doc, 'payload.doc'), seq: expectUint(o.seq, 'payload.seq'), update: bytes(o.update, 'payload.update') };
    case 'ack':
      return { kind, doc: str(o.doc, 'payload.doc'), seq: expectUint(o.seq, 'payload.seq') };
    case 'ot':
      return { kind, doc: str(o.doc, 'payload.doc'), message: value(o.message, 'payload.message') };
    case 'presence':
      return { kind, doc: str(o.doc, 'payload.doc'), client: str(o.client, 'payload.client'), state: o.state === null ? null : value(o.state, 'payload.state') };
    case 'join':
    case 'leave':
      return { kind, channel: str(o.channel, 'payload.channel') };
    case 'action':
      return { kind, channel: str(o.channel, 'payload.channel'), client: str(o.client, 'payload.client'), action: value(o.action, 'payload.action') as Action['action'] };
    case 'error':
      return { kind, code: str(o.code, 'payload.code') as SyncErrorCode, message: str(o.message, 'payload.message'), doc: str(o.doc, 'payload.doc'), seq: expectUint(o.seq, 'payload.seq') };
    case 'ping':
    case 'pong':
      return { kind, nonce: expectUint(o.nonce, 'payload.nonce') };
    default:
      throw new DecodeError('invalid-value', `unknown sync message kind ${kind}`);
  }
}

const twin = new JsonTwin(CODECS as unknown as PayloadCodec<unknown>[]);

/** The JSON twin of a sync message frame, for logs and debugging. */
export function messageToJSON(bytes: Uint8Array, limits?: Partial<DecodeLimits>): FrameJSON {
  return twin.toJSON(bytes, resolveLimits(limits));
}

/** The frame a JSON twin of a sync message describes. */
export function messageFromJSONTwin(json: unknown, limits?: Partial<DecodeLimits>): Uint8Array {
  return twin.fromJSON(json, resolveLimits(limits));
}
