/**
 * Replica ids for the benchmark, shaped the way each library makes them by default
 * (random 32-bit Yjs client ids, random 16-byte Automerge actors, random 64-bit Loro
 * peers, and for Tandem a 21-character id such as nanoid makes), but drawn from a fixed
 * sequence so that every run encodes the same bytes. Id size shows up directly in
 * bytes per element when 1k replicas each write a little, so tiny sequential ids would
 * flatter whichever library got them.
 *
 * Replica `i` of a workload gets `…(i)`; the merging replica gets `…(MERGER)`. Ids are
 * distinct for distinct indexes: the first 32 bits are a bijection of the index.
 */

/** The index whose id the fresh, merging replica takes. */
export const MERGER = 0x7fff_ffff;

/**
 * The index of the replica that creates shared structure before the workload starts,
 * where a library needs such structure made once (Automerge's counter object).
 */
export const CREATOR = 0x7fff_fffe;

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers that mixes every bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Word `k` of replica `index`'s id bits; word 0 alone already tells indexes apart. */
function word(index: number, k: number): number {
  const first = mix32(index + 0x6a09_e667);
  return k === 0 ? first : mix32(first ^ Math.imul(k, 0x9e37_79b9));
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A 21-character id over nanoid's alphabet (126 random bits). */
export function tandemReplicaId(index: number): string {
  let id = '';
  for (let c = 0; c < 21; c++) {
    const bit = c * 6;
    const k = Math.floor(bit / 32);
    const shift = bit % 32;
    const low = word(index, k) >>> shift;
    const high = shift > 26 ? word(index, k + 1) << (32 - shift) : 0;
    id += ID_ALPHABET[(low | high) & 63];
  }
  return id;
}

/** A nonzero 32-bit client id, as `new Y.Doc()` picks. */
export function yjsClientId(index: number): number {
  return word(index, 0) || 1;
}

/** A 16-byte actor id in hex, as Automerge picks. */
export function automergeActorId(index: number): string {
  let hex = '';
  for (let k = 0; k < 4; k++) hex += word(index, k).toString(16).padStart(8, '0');
  return hex;
}

/** A 64-bit peer id, as Loro picks (below 2^64 − 1, which Loro reserves). */
export function loroPeerId(index: number): bigint {
  return (BigInt(word(index, 0)) << 32n) | BigInt(word(index, 1));
}

/**
 * A json-joy session id: up to 53 bits, above the ids json-joy reserves (0 … 0xFFFF), as
 * `Model.sid()` picks.
 */
export function jsonJoySessionId(index: number): number {
  const bits53 = word(index, 0) * 2 ** 21 + (word(index, 1) >>> 11);
  return 0x1_0000 + (bits53 % (Number.MAX_SAFE_INTEGER - 0x1_0000));
}
