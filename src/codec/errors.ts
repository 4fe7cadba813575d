/**
 * The closed set of reasons a frame can be refused. Each names the rule the input broke;
 * `FORMAT.md` section 7 describes them.
 */
export type DecodeErrorCode =
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-magic'
  | 'unsupported-version'
  | 'checksum'
  | 'unknown-type'
  | 'type-mismatch'
  | 'varint-overflow'
  | 'non-canonical'
  | 'length-out-of-range'
  | 'limit-exceeded'
  | 'invalid-value';

/**
 * Raised for every malformed, corrupted, oversized or non-canonical update. A replica
 * that throws it from `apply` is left exactly as it was.
 *
 * @example
 * try { doc.apply(bytes) } catch (e) { if (e instanceof DecodeError && e.code === 'checksum') resend() }
 */
export class DecodeError extends Error {
  /** Which rule the input broke. */
  readonly code: DecodeErrorCode;
  /** Byte offset at which the problem was found, when it is known. */
  readonly offset: number | undefined;

  constructor(code: DecodeErrorCode, message: string, offset?: number) {
    super(offset === undefined ? `${code}: ${message}` : `${code} at byte ${offset}: ${message}`);
    this.name = 'DecodeError';
    this.code = code;
    this.offset = offset;
  }
}
