/**
 * How a client lays out a document in its {@link ClientStorage}, under the key
 * `doc:<name>`: one value, so a write replaces the state and its bookkeeping together.
 *
 *   uint32 big-endian   length of the header
 *   header              UTF-8 JSON: SavedReplicated or SavedOT below
 *   rest                the document's whole state (`encode()`), for a replicated type
 *
 * The client id is stored under `client`.
 */
import type { Version } from '../crdt/index.js';

/** The storage key of a document. */
export function documentKey(name: string): string {
  return `doc:${name}`;
}

/** The storage key of the client id. */
export const CLIENT_KEY = 'client';

/** Layout version of the header. */
const FORMAT = 1;

/** The bookkeeping of a replicated document. */
export interface SavedReplicated {
  readonly format: 1;
  readonly kind: 'replicated';
  /** The type's format name (`text`, `pncounter`, …). */
  readonly type: string;
  /** What the server has acknowledged holding. */
  readonly confirmed: Version;
  /** For each local change not yet acknowledged, this replica's counter after it. */
  readonly marks: readonly number[];
}

/** The state of an OT document: what `OTClient` needs to resume, unconfirmed ops included. */
export interface SavedOT {
  readonly format: 1;
  readonly kind: 'ot';
  /** `ot-text` or `ot-rich-text`. */
  readonly type: string;
  readonly revision: number;
  /** The confirmed document as the type serialises it. */
  readonly confirmed: unknown;
  /** The sequence number of the next op. */
  readonly sequence: number;
  /** The op sent and not acknowledged, with its sequence number. */
  readonly inflight: { readonly seq: number; readonly op: unknown } | null;
  /** Local ops made after it, composed. */
  readonly buffer: unknown;
  /** How many local changes the op in flight and the buffer hold. */
  readonly counts: readonly [number, number];
}

/** A stored document. */
export type SavedDocument = { readonly header: SavedReplicated; readonly state: Uint8Array } | { readonly header: SavedOT; readonly state: Uint8Array };

/** Lays out a stored document. */
export function encodeSaved(header: SavedReplicated | SavedOT, state: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.length + state.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(state, 4 + json.length);
  return out;
}

/**
 * Reads a stored document.
 * @throws {TypeError} when the bytes are not a document this version stored, naming what is wrong.
 */
export function decodeSaved(bytes: Uint8Array, name: string): SavedDocument {
  const what = `the stored copy of ${JSON.stringify(name)}`;
  if (bytes.length < 4) throw new TypeError(`${what} is cut short`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  if (4 + length > bytes.length) throw new TypeError(`${what} is cut short`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + length)));
  } catch {
    throw new TypeError(`${what} has a header that is not JSON`);
  }
  const state = bytes.slice(4 + length);
  if (typeof header !== 'object' || header === null || (header as { format?: unknown }).format !== FORMAT) {
    throw new TypeError(`${what} has an unknown layout`);
  }
  const h = header as Record<string, unknown>;
  if (typeof h.type !== 'string') throw new TypeError(`${what} names no type`);
  if (h.kind === 'replicated') {
    if (typeof h.confirmed !== 'object' || h.confirmed === null || !Array.isArray(h.marks) || !h.marks.every((m) => Number.isSafeInteger(m) && m > 0)) {
      throw new TypeError(`${what} has malformed bookkeeping`);
    }
    return { header: h as unknown as SavedReplicated, state };
  }
  if (h.kind === 'ot') {
    const counter = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
    const inflight = h.inflight as { seq?: unknown } | null;
    const counts = h.counts;
    if (
      !counter(h.revision) ||
      !counter(h.sequence) ||
      (inflight !== null && (typeof inflight !== 'object' || !counter(inflight.seq))) ||
      !Array.isArray(counts) ||
      counts.length !== 2 ||
      !counts.every(counter)
    ) {
      throw new TypeError(`${what} has malformed bookkeeping`);
    }
    return { header: h as unknown as SavedOT, state };
  }
  throw new TypeError(`${what} is of an unknown kind`);
}
