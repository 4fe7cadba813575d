/**
 * What a document session (replicated or OT) needs from its {@link SyncClient}, and the
 * error type the client reports.
 */
import type { ClientStorage } from './storage.js';
import type { ClientMessage, SyncErrorCode } from './protocol.js';

/**
 * Why the client reports an error: a server error code, or
 * - `storage`: the storage failed to read or write;
 * - `protocol`: the server sent something this client cannot accept;
 * - `diverged`: the server holds changes of this client that its stored state lacks
 *   (the storage was restored from an older copy).
 */
export type ClientErrorCode = SyncErrorCode | 'storage' | 'protocol' | 'diverged';

/** An error the client reports through its `error` event, or rejects `open` with. */
export class SyncClientError extends Error {
  override readonly name = 'SyncClientError';
  constructor(
    /** What went wrong. */
    readonly code: ClientErrorCode,
    message: string,
    /** The document or channel concerned; '' when none. */
    readonly doc = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The client, as seen by a document session. */
export interface SessionHost {
  /** The client id, also the replica id of every document. */
  readonly client: string;
  readonly storage: ClientStorage;
  /**
   * Sends on connection `epoch` (the number a session was given at `subscribe`; it grows
   * with every new connection) when that connection is still the current one and
   * welcomed; returns false otherwise.
   */
  send(message: ClientMessage, epoch: number): boolean;
  /** Reports an error through the client's `error` event. */
  report(error: SyncClientError): void;
  /** Something a waiter may wait for changed (an ack, a pending count, a phase). */
  changed(): void;
}

/** Where a session stands on the current connection. */
export type SessionPhase =
  /** Not subscribed: offline, or waiting for the welcome. */
  | 'idle'
  /** Subscribe sent, waiting for `synced`. */
  | 'subscribing'
  /** Synced: changes flow both ways. */
  | 'synced'
  /** The server refused the subscription (forbidden or type mismatch); not retried. */
  | 'refused';

/** Runs `task` on a later microtask, coalescing bursts of calls into one run. */
export function microtask(task: () => void): void {
  void Promise.resolve().then(task);
}
