/**
 * The WebSocket transport: one frame per binary message, at `{url}/sync`. Uses the
 * platform's `WebSocket` (browsers, Node 22+), or a constructor passed in (the `ws`
 * package in Node 20). The DOM typings are not part of this library's build, so the
 * members used are declared here structurally.
 */
import type { ConnectRequest, Transport, TransportConnection, TransportEvents } from './transport.js';

/**
 * The members of a WebSocket this transport uses (the browser's, or `ws`'s). Handlers are
 * typed to accept any implementation's event types (`never` parameters); the transport
 * reads only `data` from a message event.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor: `globalThis.WebSocket`, or `WebSocket` from the `ws` package. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The platform's WebSocket constructor, when it has one. */
export function platformWebSocket(): WebSocketConstructor | undefined {
  const constructor = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof constructor === 'function' ? (constructor as WebSocketConstructor) : undefined;
}

/**
 * A WebSocket transport to `url`: a full endpoint such as `ws://127.0.0.1:8787/sync`.
 * A text message, or a binary one that cannot be read, closes the connection.
 * @throws {TypeError} when no WebSocket constructor is given and the platform has none.
 */
export function webSocketTransport(url: string, WebSocket: WebSocketConstructor | undefined = platformWebSocket()): Transport {
  if (WebSocket === undefined) {
    throw new TypeError('this platform has no WebSocket; pass one (e.g. the ws package\'s) or use the SSE transport');
  }
  return {
    name: 'websocket',
    connect(_request: ConnectRequest, events: TransportEvents): TransportConnection {
      let done = false;
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
        events.close(error);
      };
      let socket: WebSocketLike;
      try {
        socket = new WebSocket(url);
      } catch (error) {
        // An invalid URL throws synchronously; report it like any failure, later.
        const failure = error instanceof Error ? error : new Error(String(error));
        void Promise.resolve().then(() => events.close(failure));
        return { send() {}, close() {} };
      }
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        if (!done) events.open();
      };
      socket.onmessage = (event: { readonly data: unknown }) => {
        if (done) return;
        const data = event.data;
        if (data instanceof Uint8Array) events.frame(data);
        else if (data instanceof ArrayBuffer) events.frame(new Uint8Array(data));
        else {
          socket.close(1003, 'binary frames only');
          finish(new Error('the server sent a message that is not binary'));
        }
      };
      socket.onerror = () => finish(new Error(`WebSocket error on ${url}`));
      socket.onclose = () => finish(new Error(`WebSocket to ${url} closed`));
      return {
        send(frame: Uint8Array): void {
          if (!done) socket.send(frame);
        },
        close(): void {
          if (done) return;
          done = true;
          socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
          try {
            socket.close(1000);
          } catch {
            // Closing a socket that never opened throws in some implementations; it is gone either way.
          }
        },
      };
    },
  };
}
