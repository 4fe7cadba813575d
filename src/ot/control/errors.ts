/**
 * The closed set of reasons a control message can be refused by {@link OTServer.receive}
 * or {@link OTClient.receive}. Each names the rule the message broke.
 *
 * - `malformed-message`: not an object of a known `kind` with well-typed fields.
 * - `revision-gap`: the message skips revisions the receiver has not seen (lost or
 *   reordered delivery; reconnect to resynchronise).
 * - `unexpected-message`: well-formed, but impossible in the receiver's state, such as an
 *   acknowledgement of an op the client never sent.
 * - `invalid-op`: the op (or snapshot) in a server message could not be transformed or
 *   applied by the OT type.
 */
export type ProtocolErrorCode = 'malformed-message' | 'revision-gap' | 'unexpected-message' | 'invalid-op';

/**
 * Raised for a message that breaks the protocol. The receiver that throws it is left
 * exactly as it was, so the caller may drop the message or the connection and go on.
 *
 * @example
 * try { client.receive(message) } catch (e) { if (e instanceof ProtocolError) reconnect() }
 */
export class ProtocolError extends Error {
  /** Which rule the message broke. */
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
