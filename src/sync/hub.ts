/**
 * The server's side of the protocol, without a transport: `SyncHub` keeps the open
 * documents, checks every message, makes accepted changes durable through a
 * {@link DocumentStore} before acknowledging them, and forwards them, presence and
 * actions to the other clients allowed to read them. `tandem/server` puts it behind
 * WebSocket, SSE and HTTP; tests connect to it in memory.
 */
import { DecodeError, Writer, readValue, Reader, resolveLimits, writeValue, type DecodeLimits, type JsonValue } from '../codec/index.js';
import {
  AWMap,
  AWSet,
  GCounter,
  GSet,
  LWWMap,
  LWWRegister,
  List,
  MVRegister,
  PNCounter,
  RWSet,
  Text,
  TwoPhaseSet,
  type Replicated,
  type Version,
} from '../crdt/index.js';
import { OTServer, richTextType, textType, type Envelope } from '../ot/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type Action, type ClientMessage, type ServerMessage, type SyncErrorCode } from './protocol.js';
import type { DocumentStore } from './store.js';

/** What a client may do with a document or channel: read it, write it, or nothing. */
export type Access = 'read' | 'write' | false;

/** What `authorize` is asked: may this client open this document (or channel, type `channel`)? */
export interface AuthorizeRequest {
  readonly token: string | null;
  readonly client: string;
  /** The document or channel id. */
  readonly doc: string;
  readonly type: string;
}

/** Decides access at subscribe and join; may be async (a database lookup). */
export type Authorize = (request: AuthorizeRequest) => Access | Promise<Access>;

/** A channel of the action relay: which action types it carries, and how big one may be. */
export interface ChannelOptions {
  readonly allow: readonly string[];
  /** Largest action, in encoded bytes; default 16 KiB. */
  readonly maxBytes?: number;
}

/** Per-connection limits; going over one gives an `error` and applies nothing. */
export interface HubLimits {
  /** Largest frame a client may send, in bytes; default 8 MiB. */
  readonly maxFrameBytes: number;
  /** Documents one connection may have open; default 256. */
  readonly maxDocsPerConnection: number;
  /** Messages per second, averaged over a second (a bucket of that many); default 1000. */
  readonly maxMessagesPerSecond: number;
  /** Largest presence state, in encoded bytes; default 4 KiB. */
  readonly maxPresenceBytes: number;
  /** Decoding limits for updates (`FORMAT.md` section 6). */
  readonly decode: Partial<DecodeLimits>;
}

/** How a hub runs. */
export interface HubOptions {
  readonly store: DocumentStore;
  /** Default: every client may write everything. */
  readonly authorize?: Authorize;
  /** The channels of the action relay; a channel not listed cannot be joined. */
  readonly channels?: Readonly<Record<string, ChannelOptions>>;
  readonly limits?: Partial<HubLimits>;
  /** Heartbeat interval told to clients, ms; a connection silent for two is closed. Default 3 s. */
  readonly heartbeat?: number;
  /** A presence state not repeated for this long expires, ms. Default 30 s. */
  readonly presenceTimeout?: number;
  /** Entries logged before a document is compacted into a snapshot. Default 500. */
  readonly compactEvery?: number;
  /** Clock, ms; tests inject their own. */
  readonly now?: () => number;
  /** Called with errors the hub survived (a failed write, a listener that threw). */
  readonly onError?: (error: unknown) => void;
}

/** The hub's view of one transport connection. */
export interface Peer {
  send(frame: Uint8Array): void;
  close(): void;
}

/** One connection as the transport drives it. */
export interface HubConnection {
  /** A frame arrived from the client. */
  receive(frame: Uint8Array): void;
  /** The transport closed. */
  closed(): void;
}

const DEFAULT_LIMITS: HubLimits = {
  maxFrameBytes: 8 * 1024 * 1024,
  maxDocsPerConnection: 256,
  maxMessagesPerSecond: 1000,
  maxPresenceBytes: 4096,
  decode: {},
};

/** Replica id under which the hub holds documents; it never makes changes of its own. */
const HUB_REPLICA = '~hub';

/** Replicated types by their format name. */
export const DOCUMENT_TYPES: Readonly<Record<string, new (options: { replica: string }) => Replicated>> = Object.freeze({
  gcounter: GCounter,
  pncounter: PNCounter,
  'lww-register': LWWRegister,
  'mv-register': MVRegister,
  gset: GSet,
  '2p-set': TwoPhaseSet,
  'aw-set': AWSet,
  'rw-set': RWSet,
  'lww-map': LWWMap,
  'aw-map': AWMap,
  text: Text,
  list: List,
});

/** OT document types by their protocol name. */
export const OT_TYPES = Object.freeze({ 'ot-text': textType, 'ot-rich-text': richTextType });

type OTTypeName = keyof typeof OT_TYPES;

function isOT(type: string): type is OTTypeName {
  return type === 'ot-text' || type === 'ot-rich-text';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function encodeJSON(value: JsonValue): Uint8Array {
  const w = new Writer();
  writeValue(w, value);
  return w.written().slice();
}

function decodeJSON(bytes: Uint8Array, limits: DecodeLimits): JsonValue {
  const r = new Reader(bytes, limits);
  const value = readValue(r);
  r.done();
  return value;
}

/** An open document: its replica or OT server, subscribers, and the queue of writes. */
class Doc {
  readonly subscribers = new Map<Session, Access>();
  /** Writes, acknowledgements and forwards, in order. */
  chain: Promise<void> = Promise.resolve();
  seq = 0;
  sinceCompaction = 0;
  constructor(
    readonly name: string,
    readonly type: string,
    readonly replica: Replicated | undefined,
    readonly ot: OTServer<unknown, unknown> | undefined,
  ) {}
}

/** Per-document presence of one session. */
interface PresenceState {
  state: JsonValue;
  at: number;
}

/**
 * The transport-agnostic sync server. Create one per process, `connect` each transport
 * connection, and `close` it to finish pending writes.
 */
export class SyncHub {
  private readonly store: DocumentStore;
  private readonly authorize: Authorize;
  private readonly channels: Readonly<Record<string, ChannelOptions>>;
  readonly limits: HubLimits;
  private readonly decodeLimits: DecodeLimits;
  readonly heartbeat: number;
  private readonly presenceTimeout: number;
  private readonly compactEvery: number;
  readonly now: () => number;
  private readonly onError: (error: unknown) => void;
  private readonly docs = new Map<string, Doc>();
  private readonly loading = new Map<string, Promise<Doc>>();
  readonly sessions = new Set<Session>();
  /** Channel members. */
  readonly members = new Map<string, Map<Session, Access>>();
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private closing = false;

  constructor(options: HubOptions) {
    this.store = options.store;
    this.authorize = options.authorize ?? (() => 'write');
    this.channels = options.channels ?? {};
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.decodeLimits = resolveLimits({ maxBytes: this.limits.maxFrameBytes, ...this.limits.decode });
    this.heartbeat = options.heartbeat ?? 3_000;
    this.presenceTimeout = options.presenceTimeout ?? 30_000;
    this.compactEvery = options.compactEvery ?? 500;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? (() => {});
    const tick = Math.max(50, Math.min(this.heartbeat, this.presenceTimeout) / 2);
    this.timer = setInterval(() => this.sweep(), tick);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Number of documents open in memory. */
  get documents(): number {
    return this.docs.size;
  }

  /** Starts serving one connection. */
  connect(peer: Peer): HubConnection {
    const session = new Session(this, peer);
    this.sessions.add(session);
    if (this.closing) session.shutdown();
    return session;
  }

  /**
   * Stops accepting messages, closes every connection, and resolves once every accepted
   * change is durable.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const session of [...this.sessions]) session.shutdown();
    await Promise.all([...this.docs.values()].map((d) => d.chain));
  }

  /** Expires presence and closes connections silent for two heartbeats. */
  sweep(): void {
    const now = this.now();
    for (const session of [...this.sessions]) {
      if (now - session.lastHeard > 2 * this.heartbeat) {
        session.shutdown();
        continue;
      }
      for (const [name, presence] of [...session.presence]) {
        if (now - presence.at > this.presenceTimeout) {
          session.presence.delete(name);
          this.broadcastPresence(session, name, null);
        }
      }
    }
  }

  // ---- Documents ----------------------------------------------------------------------

  /** The open document, loading it (or creating it with `type`) first. */
  async open(name: string, type: string): Promise<Doc> {
    const open = this.docs.get(name);
    if (open !== undefined) return open;
    let pending = this.loading.get(name);
    if (pending === undefined) {
      pending = this.load(name, type).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string, type: string): Promise<Doc> {
    const stored = await this.store.load(name);
    const actual = stored?.type ?? type;
    let doc: Doc;
    if (isOT(actual)) {
      const otType = OT_TYPES[actual];
      let server: OTServer<unknown, unknown>;
      if (stored?.snapshot !== undefined) {
        const record = decodeJSON(stored.snapshot, this.decodeLimits) as { revision: number; snapshot: JsonValue };
        server = new OTServer(otType as never, { snapshot: otType.deserialize(record.snapshot as never), revision: record.revision });
      } else {
        server = new OTServer(otType as never);
      }
      doc = new Doc(name, actual, undefined, server);
      for (const entry of stored?.entries ?? []) {
        const op = decodeJSON(entry.bytes, this.decodeLimits) as { revision: number; client: string; seq: number; op: JsonValue };
        // Replaying as ops from clients that have not joined rebuilds the document and the
        // de-duplication table without replies.
        server.receive({ kind: 'op', client: op.client, seq: op.seq, base: op.revision - 1, op: op.op });
        doc.seq = entry.seq;
      }
    } else {
      const Type = DOCUMENT_TYPES[actual];
      if (Type === undefined) throw new HubError('malformed', `unknown document type ${JSON.stringify(actual)}`);
      const replica = new Type({ replica: HUB_REPLICA });
      if (stored?.snapshot !== undefined) replica.apply(stored.snapshot);
      for (const entry of stored?.entries ?? []) {
        // An entry whose base is missing (a store that lost an earlier entry in a crash)
        // is held, not fatal: a client resending its outbox fills the gap. One that does
        // not decode is reported and skipped, so the document stays available.
        try {
          replica.apply(entry.bytes);
        } catch (error) {
          this.onError(new Error(`document ${name}: stored entry ${entry.seq} could not be merged: ${message(error)}`, { cause: error }));
        }
      }
      doc = new Doc(name, actual, replica, undefined);
      const last = stored?.entries[stored.entries.length - 1];
      if (last !== undefined) doc.seq = last.seq;
    }
    this.docs.set(name, doc);
    return doc;
  }

  /**
   * Opens a document for `session`, which is then one of its subscribers; a document being
   * released as this runs is opened afresh, so one name never has two copies.
   */
  async attach(name: string, type: string, session: Session, access: Access): Promise<Doc> {
    for (;;) {
      const doc = await this.open(name, type);
      if (this.docs.get(name) !== doc) continue;
      if (doc.type === type) doc.subscribers.set(session, access);
      return doc;
    }
  }

  /** Queues work on a document after its earlier writes. */
  enqueue(doc: Doc, work: () => Promise<void> | void): Promise<void> {
    const next = doc.chain.then(work).catch((error: unknown) => this.onError(error));
    doc.chain = next;
    return next;
  }

  /**
   * Appends an accepted entry, numbered in the order of the calls; resolves once it is
   * durable. When the store fails, the document's in-memory copy holds a change that is
   * not durable: the copy is dropped and its subscribers disconnected, so they reconnect
   * to the durable state and resend what was not acknowledged. Then it rethrows.
   */
  async write(doc: Doc, bytes: Uint8Array): Promise<void> {
    const seq = ++doc.seq;
    try {
      await this.store.append(doc.name, doc.type, seq, bytes);
    } catch (error) {
      if (this.docs.get(doc.name) === doc) this.docs.delete(doc.name);
      for (const [session] of doc.subscribers) session.shutdown();
      throw error;
    }
    if (++doc.sinceCompaction >= this.compactEvery) {
      doc.sinceCompaction = 0;
      // Queued after whatever follows this write (its acknowledgement), in the background.
      void this.enqueue(doc, () => this.store.compact(doc.name, this.snapshot(doc), seq));
    }
  }

  /**
   * The document as a snapshot record. A replica may have merged updates whose entries are
   * still queued: replaying them over it later is harmless, merges being idempotent. An OT
   * server only changes inside the queue, so its snapshot is exactly at the entry compacted.
   */
  private snapshot(doc: Doc): Uint8Array {
    if (doc.replica !== undefined) return doc.replica.encode();
    const ot = doc.ot!;
    const otType = OT_TYPES[doc.type as OTTypeName];
    return encodeJSON({ revision: ot.revision, snapshot: otType.serialize(ot.snapshot as never) as JsonValue });
  }

  /** Closes a document no one has open once its writes are done. */
  release(doc: Doc): void {
    if (doc.subscribers.size > 0) return;
    void this.enqueue(doc, () => {
      if (doc.subscribers.size === 0 && this.docs.get(doc.name) === doc) this.docs.delete(doc.name);
    });
  }

  /** Sends a peer's presence on `name` to the document's other readers. */
  broadcastPresence(from: Session, name: string, state: JsonValue | null): void {
    const doc = this.docs.get(name);
    if (doc === undefined) return;
    const frame = encodeMessage({ kind: 'presence', doc: name, client: from.client, state });
    for (const [session] of doc.subscribers) {
      if (session !== from) session.sendFrame(frame);
    }
  }

  /** Decides access. */
  async access(request: AuthorizeRequest): Promise<Access> {
    const result = await this.authorize(request);
    return result === 'read' || result === 'write' ? result : false;
  }

  /** The options of a channel, if it exists. */
  channel(name: string): ChannelOptions | undefined {
    return Object.prototype.hasOwnProperty.call(this.channels, name) ? this.channels[name] : undefined;
  }

  /** Decode limits for updates. */
  get updateLimits(): DecodeLimits {
    return this.decodeLimits;
  }

  /** Reports an error the hub survived. */
  report(error: unknown): void {
    this.onError(error);
  }
}

/** A refusal the hub turns into an `error` message. */
class HubError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One connection's state. */
class Session implements HubConnection {
  client = '';
  private token: string | null = null;
  private open = false;
  private ended = false;
  lastHeard: number;
  readonly docs = new Map<string, Doc>();
  readonly presence = new Map<string, PresenceState>();
  private readonly joined = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private bucket: number;
  private refilled: number;

  constructor(
    private readonly hub: SyncHub,
    private readonly peer: Peer,
  ) {
    this.lastHeard = hub.now();
    this.bucket = hub.limits.maxMessagesPerSecond;
    this.refilled = this.lastHeard;
  }

  send(message: ServerMessage): void {
    if (!this.ended) this.sendFrame(encodeMessage(message));
  }

  /** Sends a frame already encoded, as when one message goes to many sessions. */
  sendFrame(frame: Uint8Array): void {
    if (this.ended) return;
    try {
      this.peer.send(frame);
    } catch (error) {
      this.hub.report(error);
    }
  }

  private error(code: SyncErrorCode, text: string, doc = '', seq = 0): void {
    this.send({ kind: 'error', code, message: text, doc, seq });
  }

  /** @inheritDoc */
  receive(frame: Uint8Array): void {
    if (this.ended) return;
    const now = this.hub.now();
    this.lastHeard = now;
    const limits = this.hub.limits;
    this.bucket = Math.min(limits.maxMessagesPerSecond, this.bucket + ((now - this.refilled) * limits.maxMessagesPerSecond) / 1000);
    this.refilled = now;
    if (this.bucket < 1) {
      this.error('limit-exceeded', `more than ${limits.maxMessagesPerSecond} messages a second; this one was dropped`);
      return;
    }
    this.bucket -= 1;
    if (!(frame instanceof Uint8Array)) {
      this.error('malformed', 'a frame is binary');
      return;
    }
    if (frame.length > limits.maxFrameBytes) {
      this.error('limit-exceeded', `a frame of ${frame.length} bytes is over the limit of ${limits.maxFrameBytes}`);
      return;
    }
    let msg;
    try {
      msg = decodeMessage(frame, this.hub.updateLimits);
    } catch (error) {
      this.error('malformed', error instanceof DecodeError ? error.message : 'the frame could not be decoded');
      return;
    }
    if (msg.kind === 'ping') {
      // The pong follows whatever the session's documents had queued (writes, forwards),
      // so a client that sees it has everything the server held when it pinged.
      const nonce = msg.nonce;
      const queued = [...this.docs.values()].map((doc) => doc.chain);
      if (queued.length === 0) this.send({ kind: 'pong', nonce });
      else void Promise.all(queued).then(() => this.send({ kind: 'pong', nonce }));
      return;
    }
    if (msg.kind === 'pong') return;
    const message = msg as ClientMessage;
    // Messages are handled one at a time, in order: a subscribe finishes before the
    // update that follows it.
    this.queue = this.queue
      .then(() => this.handle(message))
      .catch((error: unknown) => {
        // An error names what it concerns: the document, or the channel.
        const about = 'doc' in message ? message.doc : 'channel' in message ? message.channel : '';
        if (error instanceof HubError) this.error(error.code, error.message, about);
        else {
          this.hub.report(error);
          this.error('internal', 'the server failed to handle a message');
        }
      });
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.ended) return;
    if (!this.open) {
      if (message.kind !== 'hello') throw new HubError('malformed', 'the first message is hello');
      if (message.protocol !== PROTOCOL_VERSION) {
        this.error('unsupported-protocol', `this server speaks protocol ${PROTOCOL_VERSION}, not ${message.protocol}`);
        this.shutdown();
        return;
      }
      this.client = message.client;
      this.token = message.token;
      this.open = true;
      this.send({ kind: 'welcome', protocol: PROTOCOL_VERSION, heartbeat: this.hub.heartbeat });
      return;
    }
    switch (message.kind) {
      case 'hello':
        throw new HubError('malformed', 'hello comes once, first');
      case 'subscribe':
        return this.subscribe(message.doc, message.type, message.version);
      case 'unsubscribe':
        return this.unsubscribe(message.doc);
      case 'update':
        return this.update(message.doc, message.seq, message.update);
      case 'ot':
        return this.ot(message.doc, message.message);
      case 'presence':
        return this.setPresence(message.doc, message.state);
      case 'join':
        return this.join(message.channel);
      case 'leave':
        this.joined.delete(message.channel);
        this.hub.members.get(message.channel)?.delete(this);
        return;
      case 'action':
        return this.relay(message);
    }
  }

  private async subscribe(name: string, type: string, version: Version): Promise<void> {
    if (!(type in DOCUMENT_TYPES) && !isOT(type)) throw new HubError('malformed', `unknown document type ${JSON.stringify(type)}`);
    if (!this.docs.has(name) && this.docs.size >= this.hub.limits.maxDocsPerConnection) {
      throw new HubError('limit-exceeded', `a connection may have ${this.hub.limits.maxDocsPerConnection} documents open`);
    }
    const access = await this.hub.access({ token: this.token, client: this.client, doc: name, type });
    if (access === false) throw new HubError('forbidden', `not allowed to open ${name}`);
    const doc = await this.hub.attach(name, type, this, access);
    if (doc.type !== type) throw new HubError('type-mismatch', `${name} is a ${doc.type}, not a ${type}`);
    if (this.ended) {
      doc.subscribers.delete(this);
      return this.hub.release(doc);
    }
    this.docs.set(name, doc);
    let update: Uint8Array = new Uint8Array(0);
    let serverVersion: Version = {};
    if (doc.replica !== undefined) {
      update = doc.replica.encode(version);
      serverVersion = doc.replica.version();
    }
    this.send({ kind: 'synced', doc: name, version: serverVersion, update, writable: access === 'write' });
    for (const [peer] of doc.subscribers) {
      const state = peer.presence.get(name);
      if (peer !== this && state !== undefined) this.send({ kind: 'presence', doc: name, client: peer.client, state: state.state });
    }
  }

  private unsubscribe(name: string): void {
    const doc = this.docs.get(name);
    if (doc === undefined) return;
    this.docs.delete(name);
    doc.subscribers.delete(this);
    doc.ot?.leave(this.client);
    if (this.presence.delete(name)) this.hub.broadcastPresence(this, name, null);
    this.hub.release(doc);
  }

  private subscription(name: string): { doc: Doc; access: Access } {
    const doc = this.docs.get(name);
    if (doc === undefined) throw new HubError('not-subscribed', `${name} is not open on this connection`);
    return { doc, access: doc.subscribers.get(this) ?? false };
  }

  private update(name: string, seq: number, bytes: Uint8Array): void {
    const { doc, access } = this.subscription(name);
    if (access !== 'write') {
      this.error('forbidden', `${name} is read-only for this client`, name, seq);
      return;
    }
    const replica = doc.replica;
    if (replica === undefined) {
      this.error('malformed', `${name} is an OT document: send ot messages`, name, seq);
      return;
    }
    const before = replica.version();
    try {
      replica.apply(bytes, { hold: false });
    } catch (error) {
      this.error('rejected', error instanceof DecodeError ? error.message : message(error), name, seq);
      return;
    }
    const after = replica.version();
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    if (!changed) {
      // Nothing new: acknowledge once the writes before it are durable.
      void this.hub.enqueue(doc, () => this.send({ kind: 'ack', doc: name, seq }));
      return;
    }
    // The write starts now, so a store that groups writes (LevelStore) can batch those of
    // many updates; acknowledgements and forwards still go out in order, each after its
    // own write is durable.
    const written = this.hub.write(doc, bytes);
    written.catch(() => {});
    void this.hub.enqueue(doc, async () => {
      await written;
      this.send({ kind: 'ack', doc: name, seq });
      const frame = encodeMessage({ kind: 'update', doc: name, seq: 0, update: bytes });
      for (const [session] of doc.subscribers) {
        if (session !== this) session.sendFrame(frame);
      }
    });
  }

  private ot(name: string, body: JsonValue): void {
    const { doc, access } = this.subscription(name);
    const server = doc.ot;
    if (server === undefined) throw new HubError('malformed', `${name} is not an OT document`);
    const kind = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { kind?: unknown }).kind : undefined;
    if (kind === 'op' && access !== 'write') throw new HubError('forbidden', `${name} is read-only for this client`);
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && (body as { client?: unknown }).client !== this.client) {
      throw new HubError('malformed', 'an ot message names the sending client');
    }
    // The OT server changes only inside the document's queue, after the writes before it,
    // so what is logged and compacted follows its revisions exactly.
    void this.hub.enqueue(doc, async () => {
      const revision = server.revision;
      let out: Envelope<unknown>[];
      try {
        out = server.receive(body);
      } catch (error) {
        this.error('malformed', message(error), name);
        return;
      }
      if (server.revision > revision) {
        const applied = server.applied(server.revision)!;
        await this.hub.write(doc, encodeJSON({ revision: server.revision, client: applied.client, seq: applied.seq, op: applied.op as JsonValue }));
      }
      for (const { to, message: reply } of out) {
        for (const [session] of doc.subscribers) {
          if (session.client === to) session.send({ kind: 'ot', doc: name, message: reply as unknown as JsonValue });
        }
      }
    });
  }

  private setPresence(name: string, state: JsonValue | null): void {
    this.subscription(name);
    if (state === null) {
      if (this.presence.delete(name)) this.hub.broadcastPresence(this, name, null);
      return;
    }
    if (encodeJSON(state).length > this.hub.limits.maxPresenceBytes) {
      throw new HubError('limit-exceeded', `a presence state is at most ${this.hub.limits.maxPresenceBytes} bytes`);
    }
    this.presence.set(name, { state, at: this.hub.now() });
    this.hub.broadcastPresence(this, name, state);
  }

  private async join(channel: string): Promise<void> {
    if (this.hub.channel(channel) === undefined) throw new HubError('forbidden', `there is no channel ${channel}`);
    const access = await this.hub.access({ token: this.token, client: this.client, doc: channel, type: 'channel' });
    if (access === false) throw new HubError('forbidden', `not allowed to join ${channel}`);
    if (this.ended) return;
    this.joined.add(channel);
    let members = this.hub.members.get(channel);
    if (members === undefined) this.hub.members.set(channel, (members = new Map()));
    members.set(this, access);
  }

  private relay(message: Action): void {
    const options = this.hub.channel(message.channel);
    const members = this.hub.members.get(message.channel);
    const access = members?.get(this);
    const refuse = (why: string): void => this.error('action-refused', why, message.channel);
    if (options === undefined || members === undefined || access === undefined) return refuse(`join ${message.channel} before sending to it`);
    if (access !== 'write') return refuse(`${message.channel} is read-only for this client`);
    if (!options.allow.includes(message.action.type)) return refuse(`action type ${JSON.stringify(message.action.type)} is not allowed on ${message.channel}`);
    const size = encodeJSON(message.action).length;
    const max = options.maxBytes ?? 16 * 1024;
    if (size > max) return refuse(`an action of ${size} bytes is over ${message.channel}'s limit of ${max}`);
    for (const [session] of members) {
      if (session !== this) session.send({ kind: 'action', channel: message.channel, client: this.client, action: message.action });
    }
  }

  /** @inheritDoc */
  closed(): void {
    if (this.ended) return;
    this.ended = true;
    this.hub.sessions.delete(this);
    for (const name of [...this.docs.keys()]) {
      const doc = this.docs.get(name)!;
      this.docs.delete(name);
      doc.subscribers.delete(this);
      if (doc.ot !== undefined && ![...doc.subscribers.keys()].some((s) => s.client === this.client)) doc.ot.leave(this.client);
      if (this.presence.has(name)) this.hub.broadcastPresence(this, name, null);
      this.hub.release(doc);
    }
    this.presence.clear();
    for (const channel of this.joined) this.hub.members.get(channel)?.delete(this);
    this.joined.clear();
  }

  /** Closes the connection from the server's side. */
  shutdown(): void {
    this.closed();
    try {
      this.peer.close();
    } catch (error) {
      this.hub.report(error);
    }
  }
}
