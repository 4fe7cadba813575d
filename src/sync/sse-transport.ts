/**
 * The fallback transport for networks where a WebSocket cannot connect: Server-Sent
 * Events carry frames from the server, HTTP POSTs carry frames to it. Built on streaming
 * `fetch`, so it runs in browsers and in Node 20.
 *
 *   GET  {base}/sync/sse?client=<id>        text/event-stream; first event
 *                                           `event: session` with the session id, then one
 *                                           `data: <base64 frame>` event per frame
 *   POST {base}/sync/post?session=<id>      application/octet-stream body of records
 *                                           (uint32 big-endian length, frame); 204
 *
 * One POST is in flight at a time, carrying every frame queued meanwhile, so frames
 * arrive in order. A failed POST closes the connection: the client reconnects and
 * resends what was not acknowledged.
 */
import { EventStreamParser } from './event-stream.js';
import type { ConnectRequest, Transport, TransportConnection, TransportEvents } from './transport.js';

/** The members of a `fetch` response this transport uses. */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
}

/** A `fetch` function: the platform's, or one passed in. */
export type FetchFunction = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array; signal?: AbortSignal; cache?: 'no-store' },
) => Promise<FetchResponse>;

/** The platform's `fetch`, when it has one. */
export function platformFetch(): FetchFunction | undefined {
  const fetch = (globalThis as { fetch?: unknown }).fetch;
  return typeof fetch === 'function' ? (fetch.bind(globalThis) as FetchFunction) : undefined;
}

/**
 * An SSE + POST transport to the server at `base` (`http://host:port`, no trailing path).
 * @throws {TypeError} when no `fetch` is given and the platform has none.
 */
export function sseTransport(base: string, fetch: FetchFunction | undefined = platformFetch()): Transport {
  if (fetch === undefined) throw new TypeError('this platform has no fetch; pass one to use the SSE transport');
  const root = base.replace(/\/+$/, '');
  return {
    name: 'sse',
    connect(request: ConnectRequest, events: TransportEvents): TransportConnection {
      return new SSEConnection(root, fetch, request, events);
    },
  };
}

/** One SSE stream and its POST queue. */
class SSEConnection implements TransportConnection {
  private done = false;
  private session: string | undefined;
  private readonly abort = new AbortController();
  private queue: Uint8Array[] = [];
  private posting = false;

  constructor(
    private readonly root: string,
    private readonly fetch: FetchFunction,
    request: ConnectRequest,
    private readonly events: TransportEvents,
  ) {
    void this.stream(`${root}/sync/sse?client=${encodeURIComponent(request.client)}`);
  }

  send(frame: Uint8Array): void {
    if (this.done) return;
    this.queue.push(frame.slice());
    void this.flush();
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.abort.abort();
  }

  private finish(error: Error): void {
    if (this.done) return;
    this.done = true;
    this.abort.abort();
    this.events.close(error);
  }

  private async stream(url: string): Promise<void> {
    try {
      const response = await this.fetch(url, {
        method: 'GET',
        headers: { accept: 'text/event-stream' },
        signal: this.abort.signal,
        cache: 'no-store',
      });
      if (!response.ok || response.body === null) throw new Error(`SSE request failed with status ${response.status}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new EventStreamParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (this.done) {
          await reader.cancel().catch(() => {});
          return;
        }
        if (done) throw new Error('the server ended the event stream');
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (this.done) return;
          this.event(event.type, event.data);
        }
      }
    } catch (error) {
      this.finish(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private event(type: string, data: string): void {
    if (type === 'session') {
      if (this.session !== undefined) throw new Error('the event stream named its session twice');
      this.session = data;
      this.events.open();
      void this.flush();
      return;
    }
    if (type !== 'message') return;
    if (this.session === undefined) throw new Error('the event stream sent a frame before naming its session');
    this.events.frame(decodeBase64(data));
  }

  private async flush(): Promise<void> {
    if (this.posting || this.session === undefined || this.queue.length === 0 || this.done) return;
    this.posting = true;
    const frames = this.queue;
    this.queue = [];
    try {
      const response = await this.fetch(`${this.root}/sync/post?session=${encodeURIComponent(this.session)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: concatRecords(frames),
        signal: this.abort.signal,
      });
      if (response.status !== 204 && !response.ok) throw new Error(`POST failed with status ${response.status}`);
      const body = response.body;
      if (body !== null) await body.getReader().cancel().catch(() => {});
    } catch (error) {
      this.finish(error instanceof Error ? error : new Error(String(error)));
      return;
    } finally {
      this.posting = false;
    }
    void this.flush();
  }
}

/**
 * Frames as one POST body: for each, its length as a uint32 big-endian, then its bytes.
 * @throws {RangeError} when a frame is 4 GiB or longer.
 */
export function concatRecords(frames: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const frame of frames) {
    if (frame.length > 0xffffffff) throw new RangeError('a frame of 4 GiB or more does not fit a record');
    total += 4 + frame.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const frame of frames) {
    view.setUint32(at, frame.length);
    out.set(frame, at + 4);
    at += 4 + frame.length;
  }
  return out;
}

/**
 * Splits a POST body back into frames (what the server does with it).
 * @throws {RangeError} when a record is cut short.
 */
export function splitRecords(body: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at < body.length) {
    if (at + 4 > body.length) throw new RangeError(`a record header at byte ${at} is cut short`);
    const length = view.getUint32(at);
    if (at + 4 + length > body.length) throw new RangeError(`a record at byte ${at} claims ${length} bytes, but ${body.length - at - 4} remain`);
    frames.push(body.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return frames;
}

/**
 * The bytes a standard base64 string (with padding) encodes.
 * @throws {TypeError} when `text` is not valid base64.
 */
export function decodeBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('an event-stream frame is not valid base64');
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
