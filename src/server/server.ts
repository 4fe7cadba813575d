/**
 * `SyncServer`: the Node sync server. It puts a {@link SyncHub} (the protocol, in
 * `src/sync/hub.ts`) behind an HTTP server, with a {@link LevelStore} in `dataDir` (or a
 * store of your own) keeping every document:
 *
 *   GET  /healthz                 200 {"status":"ok","connections":n,"documents":n}
 *   GET  /sync  (Upgrade)         a WebSocket; each binary message is one protocol frame
 *   GET  /sync/sse?client=<id>    the SSE fallback's downstream: `event: session` with the
 *                                 session id, then `data: <base64 frame>` per frame
 *   POST /sync/post?session=<id>  its upstream: (uint32 BE length, frame) records; 204
 *   anything else                 `onRequest` when given (an app's page), else 404;
 *                                 other paths under /sync/ are always 404
 *
 * ```ts
 * const server = new SyncServer({ dataDir: './tandem-data', authorize: ({ token, doc }) => 'write' });
 * const { url } = await server.listen({ port: 8787 });
 * await server.close();
 * ```
 *
 * Bad input never reaches past the frame it arrived in: the hub answers an `error` frame
 * and keeps serving everyone; a transport message larger than `maxPayloadBytes` closes
 * only that connection (WebSocket code 1009, HTTP 413). Errors are reported to the
 * `logger` and never sent to a client beyond the protocol's error codes.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { replicaIdProblem } from '../codec/index.js';
import { SyncHub, type Authorize, type ChannelOptions, type HubConnection, type HubLimits, type Peer } from '../sync/hub.js';
import type { DocumentStore } from '../sync/store.js';
import { LevelStore } from './level-store.js';

/** The hub's limits and the transport's own. */
export interface ServerLimits extends HubLimits {
  /**
   * Largest WebSocket message or POST body, in bytes; default twice `maxFrameBytes` plus
   * 64 KiB. A frame over `maxFrameBytes` but within this gets the hub's `limit-exceeded`
   * error; past this the transport refuses it without reading it (WebSocket close 1009,
   * HTTP 413).
   */
  readonly maxPayloadBytes: number;
  /**
   * Bytes that may wait to be sent to one connection; default 32 MiB. A client that reads
   * more slowly than its documents change is disconnected past this (it resyncs when it
   * reconnects) rather than making the server hold an unbounded queue.
   */
  readonly maxBufferedBytes: number;
}

/** Where the server reports what happens to it. */
export interface ServerLogger {
  /** Something worth knowing: the server listens, closes. */
  info(message: string): void;
  /** A failure the server survived (a failed write, a broken connection); never sent to a client. */
  error(message: string, error?: unknown): void;
}

/** How a {@link SyncServer} runs. */
export interface SyncServerOptions {
  /** Directory of the default {@link LevelStore}; required unless `store` is given. */
  readonly dataDir?: string;
  /** A store of your own instead of the LevelStore; it stays yours: `close` leaves it open. */
  readonly store?: DocumentStore;
  /** Decides access at subscribe and join; default: every client may write everything. */
  readonly authorize?: Authorize;
  /** The action relay's channels; a channel not listed cannot be joined. */
  readonly channels?: Readonly<Record<string, ChannelOptions>>;
  readonly limits?: Partial<ServerLimits>;
  /** Heartbeat interval told to clients, ms; default 10 s. */
  readonly heartbeat?: number;
  /** A presence state not repeated for this long expires, ms; default 30 s. */
  readonly presenceTimeout?: number;
  /** Log entries a document gathers before it is compacted into a snapshot; default 500. */
  readonly compactEvery?: number;
  /** Interval of the SSE keep-alive comment, ms; default 15 s. */
  readonly keepAlive?: number;
  /** `Access-Control-Allow-Origin` of every response; default `*` (credentials travel in `hello`, not cookies). */
  readonly corsOrigin?: string;
  /** Default: silent. */
  readonly logger?: ServerLogger;
  /**
   * Handles every HTTP request for a path the server does not serve itself (anything but
   * `/healthz`, `/sync` and the paths under `/sync/`, which are the server's even when it
   * has no endpoint there: 404), so an app can serve its page on the same port; default: 404.
   * It runs after the CORS headers are set and after `OPTIONS` preflights and the 503 of
   * a closing server are answered, and must end the response. A throw or a rejected
   * promise is logged and answered `500 internal error` when nothing was sent yet.
   * WebSocket upgrades to other paths are still refused.
   */
  readonly onRequest?: (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;
}

/** Where to listen. */
export interface ListenOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`; `0.0.0.0` for every interface. */
  readonly host?: string;
}

/** Where the server listens. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`; the WebSocket endpoint is `ws://host:port/sync`. */
  readonly url: string;
}

/** One SSE client: its event stream and its hub connection. */
interface EventStreamSession {
  readonly response: ServerResponse;
  readonly connection: HubConnection;
}

const SILENT: ServerLogger = { info: () => {}, error: () => {} };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new RangeError(`${name} is a positive integer, got ${value}`);
}

/**
 * Loads `ws`, which `tandem/server` lists as an optional peer dependency.
 * @throws {Error} naming the package to install when it is missing.
 */
async function loadWebSocketServer(): Promise<typeof WebSocketServer> {
  try {
    return (await import('ws')).WebSocketServer;
  } catch (error) {
    throw new Error('SyncServer needs the optional package ws: npm install ws classic-level', { cause: error });
  }
}

/**
 * Splits a POST body into frames: each is a uint32 big-endian length and that many bytes.
 * Returns undefined when the records do not exactly cover the body.
 */
function splitRecords(body: Uint8Array): Uint8Array[] | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < 4) return undefined;
    const length = view.getUint32(at);
    at += 4;
    if (length > body.length - at) return undefined;
    frames.push(body.subarray(at, at + length));
    at += length;
  }
  return frames;
}

/** The Node sync server: WebSocket, SSE and HTTP in front of a {@link SyncHub} and a durable store. */
export class SyncServer {
  private readonly options: SyncServerOptions;
  private readonly logger: ServerLogger;
  private hubInstance: SyncHub | undefined;
  private store: DocumentStore | undefined;
  private http: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private readonly streams = new Map<string, EventStreamSession>();
  private webSockets = 0;
  private state: 'new' | 'starting' | 'listening' | 'closing' | 'closed' = 'new';
  private closing: Promise<void> | undefined;
  private limits: ServerLimits | undefined;
  private addressValue: ServerAddress | undefined;

  /**
   * Checks the options; nothing is opened until {@link listen}.
   * @throws {TypeError} when neither `dataDir` nor `store` is given.
   * @throws {RangeError} when a limit or interval is not a positive integer.
   */
  constructor(options: SyncServerOptions) {
    if (options.store === undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
      throw new TypeError('SyncServer needs a dataDir (or a store)');
    }
    for (const [name, value] of Object.entries(options.limits ?? {})) {
      if (name !== 'decode') checkPositiveInteger(value as number | undefined, `limits.${name}`);
    }
    checkPositiveInteger(options.heartbeat, 'heartbeat');
    checkPositiveInteger(options.presenceTimeout, 'presenceTimeout');
    checkPositiveInteger(options.compactEvery, 'compactEvery');
    checkPositiveInteger(options.keepAlive, 'keepAlive');
    this.options = options;
    this.logger = options.logger ?? SILENT;
  }

  /** The hub, once listening: the protocol's state (open documents, sessions). */
  get hub(): SyncHub | undefined {
    return this.hubInstance;
  }

  /** Where the server listens, once it does. */
  get address(): ServerAddress | undefined {
    return this.addressValue;
  }

  /** Open transport connections: WebSockets and SSE streams. */
  get connections(): number {
    return this.webSockets + this.streams.size;
  }

  /**
   * Opens the store and starts listening.
   * @throws {Error} when called twice, when an optional package is missing, when the store
   * cannot be opened, or when the port cannot be bound (everything opened is closed again).
   */
  async listen(options: ListenOptions = {}): Promise<ServerAddress> {
    if (this.state !== 'new') throw new Error('a SyncServer listens once');
    this.state = 'starting';
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 0;
    try {
      const WebSocketServerClass = await loadWebSocketServer();
      this.store = this.options.store ?? (await LevelStore.open(this.options.dataDir!));
      const hub = new SyncHub({
        store: this.store,
        ...(this.options.authorize !== undefined && { authorize: this.options.authorize }),
        ...(this.options.channels !== undefined && { channels: this.options.channels }),
        ...(this.options.limits !== undefined && { limits: this.options.limits }),
        ...(this.options.heartbeat !== undefined && { heartbeat: this.options.heartbeat }),
        ...(this.options.presenceTimeout !== undefined && { presenceTimeout: this.options.presenceTimeout }),
        ...(this.options.compactEvery !== undefined && { compactEvery: this.options.compactEvery }),
        onError: (error) => this.logger.error('sync hub', error),
      });
      this.hubInstance = hub;
      const maxFrameBytes = hub.limits.maxFrameBytes;
      this.limits = {
        ...hub.limits,
        maxPayloadBytes: this.options.limits?.maxPayloadBytes ?? 2 * maxFrameBytes + 64 * 1024,
        maxBufferedBytes: this.options.limits?.maxBufferedBytes ?? 32 * 1024 * 1024,
      };
      this.sockets = new WebSocketServerClass({ noServer: true, maxPayload: this.limits.maxPayloadBytes, perMessageDeflate: false });
      const http = createServer((request, response) => this.route(request, response));
      http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
      http.on('clientError', (_error, socket) => socket.destroy());
      this.http = http;
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve();
        });
      });
      http.on('error', (error) => this.logger.error('http server', error));
      const bound = http.address();
      const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      this.addressValue = { host, port: actualPort, url: `http://${shown}:${actualPort}` };
      this.state = 'listening';
      this.logger.info(`listening on ${this.addressValue.url} (WebSocket ${this.addressValue.url.replace('http', 'ws')}/sync)`);
      return this.addressValue;
    } catch (error) {
      this.closing = this.shutdown();
      await this.closing;
      throw error;
    }
  }

  /**
   * Stops accepting connections, closes every open one, waits until every accepted change
   * is durable, and closes the LevelStore it opened. Resolves once all of that is done;
   * calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = 'closing';
    const http = this.http;
    const stopped = http === undefined ? Promise.resolve() : new Promise<void>((resolve) => http.close(() => resolve()));
    try {
      await this.hubInstance?.close();
    } catch (error) {
      this.logger.error('closing the sync hub', error);
    }
    for (const stream of [...this.streams.values()]) stream.response.end();
    for (const socket of this.sockets?.clients ?? []) socket.terminate();
    this.sockets?.close();
    http?.closeAllConnections();
    await stopped;
    if (this.options.store === undefined && this.store !== undefined) {
      try {
        await this.store.close();
      } catch (error) {
        this.logger.error('closing the document store', error);
      }
    }
    this.state = 'closed';
    this.logger.info('closed');
  }

  // ---- HTTP ---------------------------------------------------------------------------

  private cors(response: ServerResponse): void {
    response.setHeader('Access-Control-Allow-Origin', this.options.corsOrigin ?? '*');
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    response.setHeader('Access-Control-Max-Age', '86400');
  }

  private reply(response: ServerResponse, status: number, body?: unknown): void {
    if (response.headersSent) {
      response.end();
      return;
    }
    if (body === undefined) {
      response.writeHead(status).end();
      return;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' }).end(text);
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      this.cors(response);
      if (this.state !== 'listening') {
        this.reply(response, 503, { status: 'closing' });
        return;
      }
      if (request.method === 'OPTIONS') {
        this.reply(response, 204);
        return;
      }
      switch (url.pathname) {
        case '/healthz':
          if (request.method !== 'GET' && request.method !== 'HEAD') return this.reply(response, 405, 'use GET');
          return this.reply(response, 200, { status: 'ok', connections: this.connections, documents: this.hubInstance?.documents ?? 0 });
        case '/sync/sse':
          if (request.method !== 'GET') return this.reply(response, 405, 'use GET');
          return this.openStream(url, response);
        case '/sync/post':
          if (request.method !== 'POST') return this.reply(response, 405, 'use POST');
          return this.post(url, request, response);
        case '/sync':
          return this.reply(response, 426, 'this endpoint is a WebSocket: send Upgrade: websocket');
        default:
          // Every /sync/ path stays the server's, so a later endpoint is never an app's page.
          if (this.options.onRequest !== undefined && !url.pathname.startsWith('/sync/')) return this.delegate(this.options.onRequest, request, response);
          return this.reply(response, 404, 'not found');
      }
    } catch (error) {
      this.logger.error('handling an HTTP request', error);
      this.reply(response, 500, 'internal error');
    }
  }

  /** Hands a request to the app's `onRequest`; a rejection is logged and answered 500 (`route` catches a throw). */
  private delegate(handler: NonNullable<SyncServerOptions['onRequest']>, request: IncomingMessage, response: ServerResponse): void {
    const result = handler(request, response);
    if (result === undefined) return;
    Promise.resolve(result).catch((error: unknown) => {
      this.logger.error('handling an HTTP request (onRequest)', error);
      this.reply(response, 500, 'internal error');
    });
  }

  private openStream(url: URL, response: ServerResponse): void {
    const client = url.searchParams.get('client');
    const problem = client === null ? 'the client parameter is missing' : replicaIdProblem(client);
    if (problem !== undefined) return this.reply(response, 400, `client: ${problem}`);
    const hub = this.hubInstance!;
    const limits = this.limits!;
    const id = randomUUID();
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(`event: session\ndata: ${id}\n\n`);
    let open = true;
    let connection: HubConnection | undefined;
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), this.options.keepAlive ?? 15_000);
    keepAlive.unref();
    const end = (): void => {
      if (!open) return;
      open = false;
      clearInterval(keepAlive);
      this.streams.delete(id);
      connection?.closed();
      if (!response.writableEnded) response.end();
    };
    const peer: Peer = {
      send: (frame) => {
        if (!open) return;
        if (response.writableLength > limits.maxBufferedBytes) {
          this.logger.error(`SSE session ${client}: more than ${limits.maxBufferedBytes} bytes waiting to be sent; disconnected`);
          end();
          return;
        }
        response.write(`data: ${Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64')}\n\n`);
      },
      close: end,
    };
    connection = hub.connect(peer);
    if (!open) return;
    this.streams.set(id, { response, connection });
    // 'close' on the response: it ended, or the client went away.
    response.on('close', end);
    response.on('error', (error) => {
      this.logger.error('SSE stream', error);
      end();
    });
  }

  private post(url: URL, request: IncomingMessage, response: ServerResponse): void {
    const stream = this.streams.get(url.searchParams.get('session') ?? '');
    if (stream === undefined) {
      request.resume();
      return this.reply(response, 404, 'unknown session: open a new event stream');
    }
    const max = this.limits!.maxPayloadBytes;
    const declared = Number(request.headers['content-length'] ?? NaN);
    const tooBig = (): void => {
      // The rest of the body is not read: the connection closes once the answer is out.
      response.setHeader('Connection', 'close');
      response.once('finish', () => request.destroy());
      this.reply(response, 413, `a POST body is at most ${max} bytes`);
    };
    if (declared > max) return tooBig();
    const chunks: Buffer[] = [];
    let length = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      length += chunk.length;
      if (length > max) {
        refused = true;
        tooBig();
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => this.logger.error('POST body', error));
    request.on('end', () => {
      if (refused) return;
      const frames = splitRecords(Buffer.concat(chunks, length));
      if (frames === undefined) return this.reply(response, 400, 'the body is a sequence of (uint32 big-endian length, frame) records');
      // The session may have ended while the body arrived; its frames go nowhere then.
      if (this.streams.get(url.searchParams.get('session') ?? '') !== stream) return this.reply(response, 404, 'unknown session: open a new event stream');
      for (const frame of frames) stream.connection.receive(frame);
      this.reply(response, 204);
    });
  }

  // ---- WebSocket ----------------------------------------------------------------------

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (this.state !== 'listening' || pathname !== '/sync') {
      socket.end(`HTTP/1.1 ${this.state !== 'listening' ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socket.on('error', (error) => this.logger.error('WebSocket upgrade', error));
    this.sockets!.handleUpgrade(request, socket, head, (webSocket) => this.attach(webSocket));
  }

  private attach(webSocket: WebSocket): void {
    const limits = this.limits!;
    this.webSockets++;
    let open = true;
    const peer: Peer = {
      send: (frame) => {
        if (!open || webSocket.readyState !== webSocket.OPEN) return;
        if (webSocket.bufferedAmount > limits.maxBufferedBytes) {
          this.logger.error(`WebSocket: more than ${limits.maxBufferedBytes} bytes waiting to be sent; disconnected`);
          webSocket.terminate();
          return;
        }
        webSocket.send(frame, { binary: true });
      },
      close: () => webSocket.close(1000),
    };
    const connection = this.hubInstance!.connect(peer);
    webSocket.binaryType = 'nodebuffer';
    webSocket.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        // A text message reaches the hub as its bytes, which it answers as malformed.
        connection.receive(isBinary ? data : new Uint8Array(data));
      } catch (error) {
        this.logger.error('handling a WebSocket message', error);
      }
    });
    webSocket.on('error', (error) => this.logger.error(`WebSocket: ${message(error)}`));
    webSocket.on('close', () => {
      if (!open) return;
      open = false;
      this.webSockets--;
      connection.closed();
    });
  }
}
