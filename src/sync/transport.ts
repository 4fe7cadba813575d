/**
 * What {@link SyncClient} needs from a transport: a way to open one connection that moves
 * whole frames both ways, in order. Implementations: `webSocketTransport` (one frame per
 * binary message), `sseTransport` (Server-Sent Events down, HTTP POST up) and
 * `memoryTransport` (straight into a `SyncHub`, for tests and single-process apps).
 */

/** What a transport reports about one connection, in this order: `open`, any number of `frame`, `close`. */
export interface TransportEvents {
  /** The connection is open: frames may be sent. */
  open(): void;
  /** A frame arrived from the server. */
  frame(frame: Uint8Array): void;
  /**
   * The connection closed, or failed to open (then without `open` before it). Nothing
   * follows. Frames sent but not yet delivered may be lost.
   */
  close(error?: Error): void;
}

/** One connection, as the client drives it. */
export interface TransportConnection {
  /** Sends one frame; frames arrive in the order sent, or the connection closes. */
  send(frame: Uint8Array): void;
  /** Closes the connection; no event follows. */
  close(): void;
}

/** Who is connecting; some transports name the client in the request (SSE). */
export interface ConnectRequest {
  readonly client: string;
}

/** A way to reach the server. */
export interface Transport {
  /** A short name for logs and the `transport` property: `websocket`, `sse`, `memory`. */
  readonly name: string;
  /** Starts opening a connection; its events arrive later, never during this call. */
  connect(request: ConnectRequest, events: TransportEvents): TransportConnection;
}
