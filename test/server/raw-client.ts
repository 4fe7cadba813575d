/**
 * A minimal protocol client for the server tests: a WebSocket carrying frames of
 * `src/sync/protocol.ts`, and `SyncedDoc`, one replicated document kept in step with the
 * server by hand (subscribe, apply `synced` and forwarded updates, send deltas, count
 * acks). It is deliberately small and explicit so that a test failure points at the
 * server, not at client logic.
 */
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../src/codec/index.js';
import type { Replicated, Version } from '../../src/crdt/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type ClientMessage, type Message, type ServerMessage } from '../../src/sync/protocol.js';

const LIMITS = { ...DEFAULT_LIMITS, maxBytes: 64 * 1024 * 1024 };

interface Waiter {
  readonly match: (m: ServerMessage) => boolean;
  readonly resolve: (m: ServerMessage) => void;
}

/** A raw connection: everything received is kept in `received`, in order. */
export class RawClient {
  readonly received: ServerMessage[] = [];
  private waiters: Waiter[] = [];
  private readonly listeners: ((m: ServerMessage) => void)[] = [];
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  readonly closed: Promise<number>;

  private constructor(
    readonly socket: WebSocket,
    readonly client: string,
  ) {
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('close', () => clearInterval(this.heartbeat));
    socket.on('message', (data: Buffer) => {
      const m = decodeMessage(new Uint8Array(data), LIMITS) as ServerMessage;
      this.received.push(m);
      // The server closes a connection silent for two heartbeats, as a slow test run could be.
      if (m.kind === 'welcome') this.heartbeat = setInterval(() => this.send({ kind: 'ping', nonce: 0 }), m.heartbeat / 2);
      for (const listener of this.listeners) listener(m);
      const ready = this.waiters.filter((w) => w.match(m));
      this.waiters = this.waiters.filter((w) => !w.match(m));
      for (const w of ready) w.resolve(m);
    });
    socket.on('error', () => {});
  }

  /** Opens a WebSocket to `url` (`ws://…/sync`) and, unless `hello` is false, says hello and waits for `welcome`. */
  static async connect(url: string, client: string, options: { token?: string | null; hello?: boolean } = {}): Promise<RawClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const raw = new RawClient(socket, client);
    if (options.hello !== false) {
      const welcome = raw.next((m) => m.kind === 'welcome' || m.kind === 'error');
      raw.send({ kind: 'hello', protocol: PROTOCOL_VERSION, client, token: options.token ?? null });
      const answer = await welcome;
      if (answer.kind !== 'welcome') throw new Error(`hello refused: ${JSON.stringify(answer)}`);
    }
    return raw;
  }

  send(message: ClientMessage): void {
    this.socket.send(encodeMessage(message as Message));
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  on(listener: (m: ServerMessage) => void): void {
    this.listeners.push(listener);
  }

  /** The next message (from now on) that matches. */
  next(match: (m: ServerMessage) => boolean, timeout = 10_000): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.client}: no matching message within ${timeout} ms`)), timeout);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }
}

/** Whether `a` has seen everything `b` has. */
export function covers(a: Version, b: Version): boolean {
  return Object.entries(b).every(([replica, counter]) => (a[replica] ?? 0) >= counter);
}

/** One replicated document over a {@link RawClient}. */
export class SyncedDoc<R extends Replicated> {
  private seq = 0;
  /** Updates sent and not yet acknowledged, by seq. */
  readonly unacked = new Set<number>();
  /** Seqs the server acknowledged. */
  readonly acked: number[] = [];
  readonly errors: ServerMessage[] = [];
  writable = false;

  constructor(
    readonly raw: RawClient,
    readonly name: string,
    readonly type: string,
    readonly replica: R,
  ) {
    raw.on((m) => {
      if (m.kind === 'update' && m.doc === name) replica.apply(m.update);
      else if (m.kind === 'ack' && m.doc === name) {
        this.unacked.delete(m.seq);
        this.acked.push(m.seq);
      } else if (m.kind === 'error' && m.doc === name) this.errors.push(m);
    });
  }

  /** Subscribes, applies what the server has, and sends what it lacks. */
  async subscribe(): Promise<void> {
    const answer = this.raw.next((m) => (m.kind === 'synced' || m.kind === 'error') && m.doc === this.name);
    this.raw.send({ kind: 'subscribe', doc: this.name, type: this.type, version: this.replica.version() });
    const m = await answer;
    if (m.kind !== 'synced') throw new Error(`subscribe ${this.name} refused: ${JSON.stringify(m)}`);
    this.writable = m.writable;
    if (m.update.length > 0) this.replica.apply(m.update);
    if (!covers(m.version, this.replica.version())) this.sendSince(m.version);
  }

  /** Makes a local change and sends it as a delta; returns its seq. */
  edit(change: (replica: R) => void): number {
    const before = this.replica.version();
    change(this.replica);
    return this.sendSince(before);
  }

  private sendSince(version: Version): number {
    const seq = ++this.seq;
    this.unacked.add(seq);
    this.raw.send({ kind: 'update', doc: this.name, seq, update: this.replica.encode(version) });
    return seq;
  }

  /** Resolves once every update sent is acknowledged. */
  async settled(timeout = 20_000): Promise<void> {
    const start = Date.now();
    while (this.unacked.size > 0) {
      if (this.errors.length > 0) throw new Error(`${this.name}: ${JSON.stringify(this.errors[0])}`);
      if (Date.now() - start > timeout) throw new Error(`${this.name}: ${this.unacked.size} updates unacknowledged after ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Polls until `condition` holds. */
export async function until(condition: () => boolean, what: string, timeout = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
