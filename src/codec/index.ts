/**
 * The one delta format: primitives, framing, checksums, decoding limits and the JSON
 * twin. `FORMAT.md` at the repository root is the specification.
 * @packageDocumentation
 */
export { crc32 } from './crc32.js';
export { DecodeError, type DecodeErrorCode } from './errors.js';
export { FORMAT_VERSION, MAGIC, frame, unframe, type Unframed } from './frame.js';
export { DEFAULT_LIMITS, resolveLimits, type DecodeLimits } from './limits.js';
export {
  JsonTwin,
  decodeFrame,
  encodeFrame,
  expectArray,
  expectEntries,
  expectObject,
  expectString,
  expectUint,
  type FrameJSON,
  type PayloadCodec,
} from './payload.js';
export { Reader } from './reader.js';
export {
  MAX_REPLICA_ID_BYTES,
  ReplicaTableReader,
  ReplicaTableWriter,
  checkReplicaId,
  replicaIdProblem,
} from './replica.js';
export {
  ValueMap,
  checkStringSize,
  compareValues,
  defineOwn,
  ingestValue,
  isWellFormed,
  readValue,
  valueFromJSON,
  valuesEqual,
  writeValue,
  type JsonValue,
  type ValueLimits,
} from './value.js';
export { Writer, utf8Length } from './writer.js';
