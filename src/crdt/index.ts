/**
 * Replicated data types (CRDTs): counters, registers, sets and maps whose replicas
 * converge whatever the order, duplication or delay of their updates. Every type
 * implements {@link Replicated}.
 * @packageDocumentation
 */
import { JsonTwin, resolveLimits, type DecodeLimits, type FrameJSON, type PayloadCodec } from '../codec/index.js';
import { gcounterCodec, pncounterCodec } from './counter/index.js';
import { awMapCodec, lwwMapCodec } from './map/index.js';
import { lwwRegisterCodec, mvRegisterCodec } from './register/index.js';
import { listCodec, textCodec } from './sequence/index.js';
import { awSetCodec, gsetCodec, rwSetCodec, twoPhaseSetCodec } from './set/index.js';

export * from './clock/index.js';
export { GCounter, PNCounter, type CounterChange } from './counter/index.js';
export { AWMap, LWWMap, type AWMapOptions, type LWWMapOptions, type MapChange } from './map/index.js';
export { LWWRegister, MVRegister, type LWWRegisterOptions } from './register/index.js';
export type { ApplyOptions, ChangeEvent, Origin, Replicated, ReplicatedOptions } from './replicated.js';
export { List, Text, type Anchor, type DeltaOp, type SequenceChange } from './sequence/index.js';
export { AWSet, GSet, RWSet, TwoPhaseSet, type SetChange } from './set/index.js';

/** The payload codecs of every replicated type, for tools that handle any frame. */
export const crdtCodecs: readonly PayloadCodec<unknown>[] = [
  gcounterCodec,
  pncounterCodec,
  lwwRegisterCodec,
  mvRegisterCodec,
  gsetCodec,
  twoPhaseSetCodec,
  awSetCodec,
  rwSetCodec,
  lwwMapCodec,
  awMapCodec,
  textCodec,
  listCodec,
];

const twin = new JsonTwin(crdtCodecs);

/**
 * The JSON twin of a frame (`FORMAT.md` section 5), for logs, debugging and interchange.
 * @throws {DecodeError} when `bytes` is not a valid frame.
 */
export function toJSON(bytes: Uint8Array, limits?: Partial<DecodeLimits>): FrameJSON {
  return twin.toJSON(bytes, resolveLimits(limits));
}

/**
 * The frame a JSON twin describes; `fromJSON(toJSON(b))` is byte-identical to `b`. The
 * JSON is validated exactly as the binary decoder validates bytes.
 * @throws {DecodeError} when the JSON does not describe a valid frame.
 */
export function fromJSON(json: unknown, limits?: Partial<DecodeLimits>): Uint8Array {
  return twin.fromJSON(json, resolveLimits(limits));
}
