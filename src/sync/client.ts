/**
 * `SyncClient`: keeps replicated and OT documents in sync with a server over any
 * {@link Transport}, offline first. Local changes apply at once, are written to storage,
 * and reach the server when it is reachable; the client reconnects with exponential
 * backoff and jitter, resubscribes with what it holds, and falls back from WebSocket to
 * SSE + POST when a WebSocket cannot connect. README.md in this folder, "Client", states
 * the guarantees.
 */
import { resolveLimits, unframe, type DecodeLimits } from '../codec/index.js';
import { createReplicaId, crdtCodecs, type Replicated } from '../crdt/index.js';
import { richTextType, textType } from '../ot/index.js';
import { backoffDelay, resolveBackoff, type BackoffOptions, type ResolvedBackoff } from './backoff.js';
import { Channel, type AppAction } from './channel.js';
import { OTRichTextDocument, OTTextDocument } from './ot-document.js';
import { OTSession } from './ot-session.js';
import { DocumentPresence } from './presence.js';
import { PROTOCOL_VERSION, decodeMessage, nameProblem, encodeMessage, type ClientMessage, type Message, type SyncError } from './protocol.js';
import { DocumentJournal } from './document-journal.js';
import type { SyncJournal } from './journal.js';
import { ReplicatedSession } from './replicated-session.js';
import { CLIENT_KEY, decodeSaved, documentKey } from './saved-document.js';
import { SyncClientError, type SessionHost } from './session.js';
import { sseTransport, type FetchFunction } from './sse-transport.js';
import { MemoryStorage, type ClientStorage } from './storage.js';
import type { Transport, TransportConnection } from './transport.js';
import { platformWebSocket, webSocketTransport, type WebSocketConstructor } from './websocket-transport.js';

/** The link to the server: trying to connect, connected and welcomed, or not connected (waiting to retry, paused, or closed). */
export type ClientStatus = 'connecting' | 'online' | 'offline';

/** A replicated type's class: constructed with `{ replica }`. */
export type ReplicatedClass<T extends Replicated> = new (options: { replica: string }) => T;

/** How a {@link SyncClient} connects, stores and retries. */
export interface SyncClientOptions {
  /**
   * The server: `ws://host:port` or `http://host:port` (the same host serves both). The
   * client tries a WebSocket at `{url}/sync` (when the platform or `WebSocket` option has
   * one), then SSE + POST at `{url}/sync/sse` and `{url}/sync/post`.
   */
  readonly url?: string;
  /** The transports to try, in order, instead of those derived from `url`. */
  readonly transports?: readonly Transport[];
  /** Credentials the server's `authorize` receives. */
  readonly token?: string | null;
  /** Where the client id, documents and outbox persist; default: in memory. */
  readonly storage?: ClientStorage;
  /** A WebSocket constructor (e.g. the `ws` package's in Node 20); default: the platform's. */
  readonly WebSocket?: WebSocketConstructor;
  /** A `fetch` for the SSE transport; default: the platform's. */
  readonly fetch?: FetchFunction;
  /** Failed attempts to open a transport in a row before moving to the next one; default 2. */
  readonly fallbackAfter?: number;
  /** Reconnection delays; default base 250 ms, factor 2, cap 10 s, full jitter. */
  readonly backoff?: BackoffOptions;
  /** Longest wait for the server's `welcome` once a connection opens, ms; default 10 000. */
  readonly handshakeTimeout?: number;
  /** A uniform random number in [0, 1) for jitter; default `Math.random`. */
  readonly random?: () => number;
  /** Decoding limits for frames from the server; defaults in `FORMAT.md` section 6. */
  readonly limits?: Partial<DecodeLimits>;
  /**
   * A synchronous journal (e.g. `webStorageJournal()`) that keeps each local change of
   * a replicated document from the moment it is made until `storage` holds it, so a reload
   * during an asynchronous storage write does not lose it; replayed when the document is
   * opened. Best effort: a failing journal is reported and the storage carries on alone.
   * OT documents do not use it. Default: none.
   */
  readonly journal?: SyncJournal;
}

/** Either kind of open document. */
type Session = ReplicatedSession | OTSession<unknown, unknown>;

/** One `open` waiting for its first `synced`. */
interface Opening {
  resolve(): void;
  reject(error: Error): void;
}

/** Events of a {@link SyncClient}. */
export interface SyncClientEvents {
  /** The link's status changed. */
  status: ClientStatus;
  /** The number of local changes not yet acknowledged changed. */
  pending: number;
  /** Something went wrong that the client survived. */
  error: SyncClientError;
}

/**
 * Keeps documents in sync with a Tandem server, offline first.
 *
 * Documents are opened by name with a replicated type ({@link open}) or an OT type
 * ({@link openOT}); every change to them is stored and sent, and every change the server
 * holds arrives. While offline, changes keep applying locally and wait in storage; they
 * are sent after reconnecting, and each is applied on the server exactly once.
 *
 * @example
 * const client = new SyncClient({ url: 'ws://127.0.0.1:8787', token, storage: new IndexedDBStorage() });
 * const notes = await client.open('notes', Text);
 * notes.insert(0, 'hello');
 * await client.synced();
 */
export class SyncClient {
  private id: string | undefined;
  private readonly ready: Promise<void>;
  private readonly storage: ClientStorage;
  private readonly journal: SyncJournal | undefined;
  private readonly transports: readonly Transport[];
  private readonly token: string | null;
  private readonly fallbackAfter: number;
  private readonly backoff: ResolvedBackoff;
  private readonly handshakeTimeout: number;
  private readonly random: () => number;
  private readonly limits: DecodeLimits;

  private currentStatus: ClientStatus = 'connecting';
  private ended = false;
  private held = false;
  private epoch = 0;
  private connection: TransportConnection | undefined;
  private welcomed = false;
  private transportIndex = 0;
  private openFailures = 0;
  private attempt = 0;
  private heartbeat = 0;
  private lastHeard = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private nonce = 0;
  private pongs = 0;

  private readonly sessions = new Map<string, Session>();
  private readonly handles = new Map<string, { readonly kind: unknown; readonly value: unknown }>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly openings = new Map<string, Opening[]>();
  private readonly presences = new Map<string, DocumentPresence>();
  private readonly channels = new Map<string, Channel>();
  private readonly waiters = new Set<() => void>();
  private readonly listeners = {
    status: new Set<(value: ClientStatus) => void>(),
    pending: new Set<(value: number) => void>(),
    error: new Set<(value: SyncClientError) => void>(),
  };
  private lastPending = 0;
  private readonly host: SessionHost;

  /**
   * Starts connecting at once (after reading the client id from storage).
   * @throws {TypeError} when neither `url` nor `transports` is given, or no transport
   *   can be built from `url`; {@link RangeError} for invalid backoff or counts.
   */
  constructor(options: SyncClientOptions) {
    this.storage = options.storage ?? new MemoryStorage();
    this.journal = options.journal;
    this.token = options.token ?? null;
    this.fallbackAfter = positiveInteger(options.fallbackAfter ?? 2, 'fallbackAfter');
    this.backoff = resolveBackoff(options.backoff);
    this.handshakeTimeout = positiveInteger(options.handshakeTimeout ?? 10_000, 'handshakeTimeout');
    this.random = options.random ?? Math.random;
    this.limits = resolveLimits(options.limits ?? {});
    this.transports = options.transports ?? transportsFor(options);
    if (this.transports.length === 0) throw new TypeError('a SyncClient needs at least one transport');
    const client = this;
    this.host = {
      get client() {
        return client.clientId;
      },
      storage: this.storage,
      send: (message, epoch) => this.sendOn(message, epoch),
      report: (error) => this.emit('error', error),
      changed: () => this.changed(),
    };
    this.ready = this.loadClientId();
    this.ready.then(
      () => this.connect(),
      (error: unknown) => {
        this.emit('error', new SyncClientError('storage', `could not read or store the client id: ${describe(error)}`, '', { cause: error }));
        this.setStatus('offline');
      },
    );
  }

  /** This client's id (also the replica id of its documents); undefined until storage was read. */
  get client(): string | undefined {
    return this.id;
  }

  /** The link's status. */
  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** Whether the client was taken offline on purpose by {@link pause} (until {@link resume}). */
  get paused(): boolean {
    return this.held;
  }

  /** The name of the transport in use or being tried (`websocket`, `sse`, `memory`). */
  get transport(): string {
    return this.transports[this.transportIndex]!.name;
  }

  /** Local changes, over every document, that the server has not acknowledged. */
  get pending(): number {
    let total = 0;
    for (const session of this.sessions.values()) total += session.pending;
    return total;
  }

  /**
   * Opens the replicated document `name` of type `Type` (`Text`, `List`, `PNCounter`,
   * `AWSet`, `LWWMap`, …): restored from storage when it was opened before, then kept in
   * sync. Resolves with the document once the server's state has been merged, or, when
   * the server cannot be reached, with the stored copy (it syncs after reconnecting).
   * Opening a name again returns the same document.
   * @throws {SyncClientError} `forbidden` or `type-mismatch` when the server refuses it;
   *   {@link TypeError} when `Type` is not a replicated type, the name is open with
   *   another type, or the stored copy is unreadable.
   */
  async open<T extends Replicated>(name: string, Type: ReplicatedClass<T>): Promise<T> {
    checkName(name);
    const existing = this.handles.get(name);
    if (existing !== undefined) {
      if (existing.kind !== Type) throw new TypeError(`${name} is already open with another type`);
      return existing.value as T;
    }
    const loading = this.loading.get(name);
    if (loading !== undefined) {
      await loading.catch(() => {});
      return this.open(name, Type);
    }
    const task = this.load(name, Type);
    this.loading.set(name, task);
    try {
      return await task;
    } finally {
      this.loading.delete(name);
    }
  }

  /**
   * Opens the OT document `name`: plain text (`'text'`, type `ot-text`) or rich text
   * (`'rich-text'`, `ot-rich-text`). Unconfirmed edits are stored and resent under their
   * sequence numbers after a reload, so the server applies each once. Resolves like
   * {@link open}. The `journal` option does not cover OT documents: an edit whose
   * storage write (which comes before its sending) is still running is lost by a reload.
   * @throws {SyncClientError} `forbidden` or `type-mismatch` when the server refuses it;
   *   {@link TypeError} when `kind` is neither or the name is open with another type.
   */
  async openOT(name: string, kind: 'text'): Promise<OTTextDocument>;
  async openOT(name: string, kind: 'rich-text'): Promise<OTRichTextDocument>;
  async openOT(name: string, kind: 'text' | 'rich-text'): Promise<OTTextDocument | OTRichTextDocument> {
    checkName(name);
    if (kind !== 'text' && kind !== 'rich-text') throw new TypeError(`an OT document is 'text' or 'rich-text', got ${String(kind)}`);
    const existing = this.handles.get(name);
    if (existing !== undefined) {
      if (existing.kind !== kind) throw new TypeError(`${name} is already open with another type`);
      return existing.value as OTTextDocument | OTRichTextDocument;
    }
    const loading = this.loading.get(name);
    if (loading !== undefined) {
      await loading.catch(() => {});
      return kind === 'text' ? this.openOT(name, kind) : this.openOT(name, kind);
    }
    const task = this.loadOT(name, kind);
    this.loading.set(name, task);
    try {
      return await task;
    } finally {
      this.loading.delete(name);
    }
  }

  /**
   * Presence on an open document.
   * @throws {TypeError} when `doc` is not open.
   */
  presence(doc: string): DocumentPresence {
    let presence = this.presences.get(doc);
    if (presence !== undefined) return presence;
    if (!this.sessions.has(doc)) throw new TypeError(`open ${doc} before using its presence`);
    presence = new DocumentPresence(doc, (state) => {
      const session = this.sessions.get(doc);
      if (session?.phase === 'synced') this.sendOn({ kind: 'presence', doc, client: '', state }, this.epoch);
    });
    this.presences.set(doc, presence);
    return presence;
  }

  /**
   * The channel `name` of the action relay, joined now (when online) and after every
   * reconnect until it is left.
   * @throws {TypeError} when `name` is not a valid channel name.
   */
  channel(name: string): Channel {
    checkName(name);
    const open = this.channels.get(name);
    if (open !== undefined) return open;
    const channel = new Channel(name, {
      publish: (action: AppAction) => this.sendOn({ kind: 'action', channel: name, client: '', action }, this.epoch),
      leave: () => {
        this.channels.delete(name);
        this.sendOn({ kind: 'leave', channel: name }, this.epoch);
      },
    });
    this.channels.set(name, channel);
    this.sendOn({ kind: 'join', channel: name }, this.epoch);
    return channel;
  }

  /**
   * Resolves when every local change made before the call is durable on the server, and
   * everything the server held when called has arrived (a ping answered after the call,
   * on a connection where every document is synced). Waits across disconnections, and
   * while {@link pause}d: it settles after {@link resume}, or rejects at {@link close}.
   * @throws {SyncClientError} when it cannot complete: `forbidden` when the client was
   *   closed or a document with unsent changes may only be read; `rejected` when the
   *   server keeps rejecting a document's changes (they stay local).
   */
  async synced(): Promise<void> {
    await this.ready;
    const marks = new Map<string, number>();
    const ot = new Map<string, number>();
    for (const [name, session] of this.sessions) {
      if (session instanceof ReplicatedSession) marks.set(name, session.ownCounter());
      else {
        const c = session.client;
        // Ops made so far are all numbered below this once the buffer is flushed.
        ot.set(name, c.sequence + (c.state === 'awaiting-with-buffer' ? 1 : 0));
      }
    }
    const durable = (): boolean => {
      for (const [name, mark] of marks) {
        const session = this.sessions.get(name);
        if (session instanceof ReplicatedSession && !session.covers(mark)) return false;
      }
      for (const [name, target] of ot) {
        const session = this.sessions.get(name);
        if (session instanceof OTSession && !session.durable && session.client.sequence - 1 < target) return false;
      }
      return true;
    };
    for (;;) {
      await this.until(() => {
        if (this.ended) throw new SyncClientError('forbidden', 'the client was closed before it synced');
        if (!this.welcomed) return false;
        for (const [name, session] of this.sessions) {
          if (session.phase === 'refused') continue;
          if (!session.ready) return false;
          if (!session.writable && (marks.has(name) || ot.has(name)) && session.pending > 0) {
            throw new SyncClientError('forbidden', `${name} has local changes but this client may only read it`, name);
          }
          if (session instanceof ReplicatedSession && session.stalled && session.pending > 0) {
            throw new SyncClientError('rejected', `the server keeps rejecting the changes to ${name}; they stay local`, name);
          }
        }
        return true;
      });
      const epoch = this.epoch;
      const nonce = ++this.nonce;
      this.sendOn({ kind: 'ping', nonce }, epoch);
      await this.until(() => {
        if (this.ended) throw new SyncClientError('forbidden', 'the client was closed before it synced');
        return this.epoch !== epoch || this.pongs >= nonce;
      });
      if (this.epoch !== epoch) continue;
      await this.until(() => {
        if (this.ended) throw new SyncClientError('forbidden', 'the client was closed before it synced');
        for (const [name, session] of this.sessions) {
          if (session instanceof ReplicatedSession && session.stalled && session.pending > 0) {
            throw new SyncClientError('rejected', `the server keeps rejecting the changes to ${name}; they stay local`, name);
          }
        }
        return this.epoch !== epoch || durable();
      });
      if (this.epoch === epoch) return;
    }
  }

  /** Listens for status changes. Returns an unsubscribe function. */
  on(event: 'status', listener: (status: ClientStatus) => void): () => void;
  /** Listens for changes of {@link pending}. Returns an unsubscribe function. */
  on(event: 'pending', listener: (pending: number) => void): () => void;
  /** Listens for errors the client survived. Returns an unsubscribe function. */
  on(event: 'error', listener: (error: SyncClientError) => void): () => void;
  on<K extends keyof SyncClientEvents>(event: K, listener: (value: SyncClientEvents[K]) => void): () => void {
    const set = this.listeners[event] as Set<(value: SyncClientEvents[K]) => void> | undefined;
    if (set === undefined) throw new TypeError(`unknown event "${String(event)}"; a SyncClient has "status", "pending" and "error"`);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /**
   * Goes offline on purpose, as a network cut would but without retrying: the connection
   * closes, the status becomes `offline`, the peers' presence is cleared, and the client
   * stays disconnected until {@link resume}. Documents keep working: local changes apply
   * and are stored, wait in the outbox and count in {@link pending}; `open` resolves from
   * storage; {@link synced} waits. A no-op when already paused or closed.
   */
  pause(): void {
    if (this.ended || this.held) return;
    this.held = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    this.drop();
    this.setStatus('offline');
    this.settleOpenings();
  }

  /**
   * Connects now: ends a {@link pause}, or, when the connection was lost and the client is
   * waiting to retry, retries at once instead of after the backoff (for the browser's
   * `online` event). Once welcomed, every document resubscribes and the outbox is sent.
   * A no-op when connected or connecting, or closed.
   */
  resume(): void {
    if (this.ended) return;
    this.held = false;
    this.attempt = 0;
    // Before the client id is read, the constructor connects once it is (unless paused).
    if (this.id === undefined || this.connection !== undefined) return;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    this.connect();
  }

  /**
   * Disconnects and stops reconnecting; resolves once every change is written to storage.
   * Documents stay usable locally but no longer sync.
   */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.drop();
    this.setStatus('offline');
    this.changed();
    for (const waiting of this.openings.values()) for (const opening of waiting) opening.reject(new SyncClientError('forbidden', 'the client was closed'));
    this.openings.clear();
    await Promise.all([...this.sessions.values()].map((session) => session.saved()));
  }

  /** Resolves once every change made so far is written to storage. */
  async flush(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.saved()));
  }

  // ---- Documents ----------------------------------------------------------------------

  private get clientId(): string {
    if (this.id === undefined) throw new Error('the client id is read from storage first');
    return this.id;
  }

  private async loadClientId(): Promise<void> {
    const stored = await this.storage.get(CLIENT_KEY);
    if (stored !== undefined) {
      this.id = new TextDecoder().decode(stored);
      return;
    }
    const id = createReplicaId();
    await this.storage.set(CLIENT_KEY, new TextEncoder().encode(id));
    this.id = id;
  }

  private async load<T extends Replicated>(name: string, Type: ReplicatedClass<T>): Promise<T> {
    await this.ready;
    if (this.ended) throw new SyncClientError('forbidden', 'the client was closed');
    if (typeof Type !== 'function') throw new TypeError('open() takes a replicated type such as Text or PNCounter');
    const doc = new Type({ replica: this.clientId });
    const type = formatName(doc);
    const bytes = await this.storage.get(documentKey(name));
    const saved = bytes === undefined ? undefined : decodeSaved(bytes, name);
    if (saved !== undefined && (saved.header.kind !== 'replicated' || saved.header.type !== type)) {
      throw new TypeError(`${name} is stored as a ${saved.header.type}, not a ${type}`);
    }
    // The journal holds the changes a reload cut off before the storage held them.
    const journal = this.journal === undefined ? undefined : new DocumentJournal(this.journal, this.clientId, name, (error) => this.emit('error', error));
    let state = saved?.state;
    let replayed: number[] = [];
    try {
      if (journal !== undefined) ({ state, marks: replayed } = journal.replay(state, () => new Type({ replica: createReplicaId() })));
      if (state !== undefined) doc.apply(state);
    } catch (error) {
      throw new TypeError(`the stored copy of ${name} does not load: ${describe(error)}`, { cause: error });
    }
    const session = new ReplicatedSession(this.host, name, type, doc, saved?.header.kind === 'replicated' ? saved.header : undefined, journal, replayed);
    this.sessions.set(name, session);
    this.handles.set(name, { kind: Type, value: doc });
    await this.subscribed(name, session);
    return doc;
  }

  private async loadOT(name: string, kind: 'text' | 'rich-text'): Promise<OTTextDocument | OTRichTextDocument> {
    await this.ready;
    if (this.ended) throw new SyncClientError('forbidden', 'the client was closed');
    const type = kind === 'text' ? 'ot-text' : 'ot-rich-text';
    const bytes = await this.storage.get(documentKey(name));
    const saved = bytes === undefined ? undefined : decodeSaved(bytes, name);
    if (saved !== undefined && (saved.header.kind !== 'ot' || saved.header.type !== type)) {
      throw new TypeError(`${name} is stored as a ${saved.header.type}, not a ${type}`);
    }
    const header = saved?.header.kind === 'ot' ? saved.header : undefined;
    let handle: OTTextDocument | OTRichTextDocument;
    let session: OTSession<unknown, unknown>;
    if (kind === 'text') {
      const s = new OTSession(this.host, name, type, textType, header);
      handle = new OTTextDocument(s);
      session = s as unknown as OTSession<unknown, unknown>;
    } else {
      const s = new OTSession(this.host, name, type, richTextType, header);
      handle = new OTRichTextDocument(s);
      session = s as unknown as OTSession<unknown, unknown>;
    }
    handle.track();
    this.sessions.set(name, session);
    this.handles.set(name, { kind, value: handle });
    await this.subscribed(name, session);
    return handle;
  }

  /** Subscribes a new session when online; resolves at its first `synced`, or at once when offline. */
  private subscribed(name: string, session: Session): Promise<void> {
    // Presence exists from the start, so the peers the server lists right after `synced` are kept.
    this.presence(name);
    const done = new Promise<void>((resolve, reject) => {
      const waiting = this.openings.get(name) ?? [];
      waiting.push({ resolve, reject });
      this.openings.set(name, waiting);
    });
    this.changed();
    if (this.welcomed) session.subscribe(this.epoch);
    else if (this.currentStatus === 'offline') this.settleOpenings();
    return done;
  }

  /** Resolves the `open` calls whose document is synced, or all of them when offline. */
  private settleOpenings(): void {
    for (const [name, waiting] of this.openings) {
      if (this.sessions.get(name)?.ready !== true && this.currentStatus !== 'offline') continue;
      this.openings.delete(name);
      for (const opening of waiting) opening.resolve();
    }
  }

  /** The server refused to open `name`: the `open` calls waiting for it reject, and it is closed. */
  private refuse(name: string, error: SyncClientError): void {
    const waiting = this.openings.get(name);
    if (waiting === undefined) return;
    this.openings.delete(name);
    this.sessions.delete(name);
    this.handles.delete(name);
    this.presences.delete(name);
    for (const opening of waiting) opening.reject(error);
  }

  // ---- Connection ---------------------------------------------------------------------

  private connect(): void {
    if (this.ended || this.held) return;
    const epoch = ++this.epoch;
    this.welcomed = false;
    this.setStatus('connecting');
    // A status listener may have paused or closed the client: then open nothing.
    if (epoch !== this.epoch || this.ended || this.held) return;
    const transport = this.transports[this.transportIndex]!;
    let opened = false;
    this.connection = transport.connect(
      { client: this.clientId },
      {
        open: () => {
          if (epoch !== this.epoch) return;
          opened = true;
          this.openFailures = 0;
          this.lastHeard = Date.now();
          this.sendOn({ kind: 'hello', protocol: PROTOCOL_VERSION, client: this.clientId, token: this.token }, epoch);
          this.arm(this.handshakeTimeout);
        },
        frame: (frame) => {
          if (epoch === this.epoch) this.receive(frame);
        },
        close: (error) => {
          if (epoch !== this.epoch) return;
          this.lost(opened, error);
        },
      },
    );
  }

  /** The connection closed or failed: tear down and retry later. */
  private lost(opened: boolean, _error?: Error): void {
    this.drop();
    if (this.ended) return;
    if (!opened && ++this.openFailures >= this.fallbackAfter && this.transportIndex < this.transports.length - 1) {
      this.transportIndex++;
      this.openFailures = 0;
    }
    const delay = backoffDelay(this.attempt, this.backoff, this.random());
    this.attempt++;
    this.setStatus('offline');
    this.settleOpenings();
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect();
    }, delay);
  }

  /** Closes the current connection, if any, and resets what belonged to it. */
  private drop(): void {
    this.epoch++;
    this.welcomed = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const connection = this.connection;
    this.connection = undefined;
    connection?.close();
    for (const session of this.sessions.values()) session.disconnected();
    for (const presence of this.presences.values()) presence.reset();
    this.changed();
  }

  private clearTimers(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.timer = this.retry = undefined;
  }

  /** Sets the heartbeat (or handshake) timer: on expiry, checks for silence and pings. */
  private arm(delay: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const epoch = this.epoch;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (epoch !== this.epoch) return;
      if (!this.welcomed || Date.now() - this.lastHeard >= 2 * this.heartbeat) {
        // No welcome in time, or silent for two heartbeats: the connection is dead.
        this.lost(true, new Error('the connection went silent'));
        return;
      }
      this.sendOn({ kind: 'ping', nonce: ++this.nonce }, epoch);
      for (const presence of this.presences.values()) presence.repeat();
      this.arm(this.heartbeat);
    }, delay);
  }

  private sendOn(message: ClientMessage, epoch: number): boolean {
    if (epoch !== this.epoch || this.connection === undefined) return false;
    if (message.kind !== 'hello' && !this.welcomed) return false;
    this.connection.send(encodeMessage(message));
    return true;
  }

  private receive(frame: Uint8Array): void {
    let message: Message;
    try {
      message = decodeMessage(frame, this.limits);
    } catch (error) {
      this.emit('error', new SyncClientError('protocol', `the server sent a frame that does not decode: ${describe(error)}`, '', { cause: error }));
      this.lost(true);
      return;
    }
    this.lastHeard = Date.now();
    switch (message.kind) {
      case 'welcome':
        return this.welcome(message.heartbeat);
      case 'synced': {
        const session = this.sessions.get(message.doc);
        session?.synced(message);
        this.presences.get(message.doc)?.repeat();
        this.settleOpenings();
        return;
      }
      case 'update': {
        const session = this.sessions.get(message.doc);
        if (session instanceof ReplicatedSession) session.update(message);
        return;
      }
      case 'ack': {
        const session = this.sessions.get(message.doc);
        if (session instanceof ReplicatedSession) session.ack(message);
        return;
      }
      case 'ot': {
        const session = this.sessions.get(message.doc);
        if (session instanceof OTSession) session.receive(message);
        this.settleOpenings();
        return;
      }
      case 'presence':
        this.presences.get(message.doc)?.received(message.client, message.state);
        return;
      case 'action':
        this.channels.get(message.channel)?.received(message.action, message.client);
        return;
      case 'error':
        return this.serverError(message);
      case 'ping':
        // Hearing from the server is what the heartbeat checks; clients do not answer pings.
        return;
      case 'pong':
        if (message.nonce > this.pongs) this.pongs = message.nonce;
        this.changed();
        return;
      default:
        this.emit('error', new SyncClientError('protocol', `the server sent a ${message.kind} message, which only clients send`));
    }
  }

  private welcome(heartbeat: number): void {
    if (this.welcomed) return;
    this.welcomed = true;
    this.attempt = 0;
    this.heartbeat = Math.max(heartbeat, 1);
    this.setStatus('online');
    for (const session of this.sessions.values()) session.subscribe(this.epoch);
    for (const name of this.channels.keys()) this.sendOn({ kind: 'join', channel: name }, this.epoch);
    this.arm(this.heartbeat);
    this.changed();
  }

  private serverError(message: SyncError): void {
    const error = new SyncClientError(message.code, message.message, message.doc);
    const session = message.doc === '' ? undefined : this.sessions.get(message.doc);
    if (session !== undefined && session.error(message)) {
      this.refuse(message.doc, error);
      if (this.sessions.has(message.doc)) this.emit('error', error);
      return;
    }
    const channel = message.doc === '' ? undefined : this.channels.get(message.doc);
    channel?.refused(error);
    this.emit('error', error);
    if (message.code === 'unsupported-protocol') {
      // Retrying cannot help: stay offline.
      void this.close();
    } else if (message.code === 'internal' && [...this.sessions.values()].some((s) => s.phase === 'subscribing')) {
      // The server failed, maybe on a subscribe it will not answer now: start over on a new connection.
      this.lost(true);
    }
  }

  // ---- Events -------------------------------------------------------------------------

  private setStatus(status: ClientStatus): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    this.emit('status', status);
  }

  private emit<K extends keyof SyncClientEvents>(event: K, value: SyncClientEvents[K]): void {
    for (const listener of [...(this.listeners[event] as Set<(value: SyncClientEvents[K]) => void>)]) {
      try {
        listener(value);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Wakes every waiter, and reports a change of the pending count. */
  private changed(): void {
    for (const wake of [...this.waiters]) wake();
    const pending = this.pending;
    if (pending !== this.lastPending) {
      this.lastPending = pending;
      this.emit('pending', pending);
    }
  }

  /** Resolves when `condition` holds, checked now and after every change; rejects when it throws. */
  private until(condition: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        try {
          if (!condition()) return;
          this.waiters.delete(check);
          resolve();
        } catch (error) {
          this.waiters.delete(check);
          reject(error);
        }
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** The format name of a replicated type, read from the tag of an empty instance's frame. */
function formatName(doc: Replicated): string {
  const { tag } = unframe(doc.encode(), resolveLimits({}));
  const codec = crdtCodecs.find((c) => c.tag === tag);
  if (codec === undefined) throw new TypeError(`type tag 0x${tag.toString(16)} is not a replicated type this client knows`);
  return codec.name;
}

/** The transports `url` implies: a WebSocket when there is one, then SSE + POST. */
function transportsFor(options: SyncClientOptions): Transport[] {
  const url = options.url;
  if (typeof url !== 'string' || !/^(wss?|https?):\/\//.test(url)) {
    throw new TypeError('a SyncClient needs url (ws://, wss://, http:// or https://) or transports');
  }
  const base = url.replace(/\/+$/, '');
  const http = base.replace(/^ws(s?):\/\//, 'http$1://');
  const ws = base.replace(/^http(s?):\/\//, 'ws$1://');
  const transports: Transport[] = [];
  const WebSocket = options.WebSocket ?? platformWebSocket();
  if (WebSocket !== undefined) transports.push(webSocketTransport(`${ws}/sync`, WebSocket));
  try {
    transports.push(sseTransport(http, options.fetch));
  } catch (error) {
    if (transports.length === 0) throw error;
  }
  return transports;
}

function checkName(name: string): void {
  const problem = nameProblem(name, 'a document or channel name');
  if (problem !== undefined) throw new TypeError(problem);
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${value}`);
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
