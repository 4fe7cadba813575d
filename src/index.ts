/**
 * Tandem: replicated data types, one delta format, and (in later releases) operational
 * transformation and sync. This entry point re-exports `tandem/crdt` and the public parts
 * of the codec.
 * @packageDocumentation
 */
export * from './crdt/index.js';
export { DEFAULT_LIMITS, DecodeError, type DecodeErrorCode, type DecodeLimits, type FrameJSON, type JsonValue } from './codec/index.js';
