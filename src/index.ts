/**
 * Tandem: replicated data types, operational transformation, one delta format, and sync
 * (`tandem/sync` for clients, `tandem/server` for the Node server). This entry point
 * re-exports `tandem/crdt`, the public parts of the codec, and `tandem/ot` as the
 * namespace `ot` (its names, such as `text.apply`, are too generic for the root:
 * `import { ot } from 'tandem'` or `import { text } from 'tandem/ot'`).
 * @packageDocumentation
 */
export * from './crdt/index.js';
export { DEFAULT_LIMITS, DecodeError, type DecodeErrorCode, type DecodeLimits, type FrameJSON, type JsonValue } from './codec/index.js';
export * as ot from './ot/index.js';
