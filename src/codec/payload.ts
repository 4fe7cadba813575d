import { DecodeError } from './errors.js';
import { frame, unframe } from './frame.js';
import type { DecodeLimits } from './limits.js';
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

/**
 * How one kind of frame maps between bytes, an in-memory model, and the JSON twin. Every
 * replicated type, OT operation and sync message defines one; `FORMAT.md` documents each.
 */
export interface PayloadCodec<M> {
  /** The type tag (`FORMAT.md` section 3). */
  readonly tag: number;
  /** The `type` of the JSON twin. */
  readonly name: string;
  /** Reads and fully validates a payload. The reader is bounded to the payload. */
  read(r: Reader): M;
  /** Writes a model in canonical form. */
  write(w: Writer, model: M): void;
  /** The JSON twin of a model's payload. */
  toJSON(model: M): unknown;
  /**
   * Reads the JSON twin of a payload into a model, checking its shape. Rules about
   * order and uniqueness are left to {@link read}, which sees the encoded result.
   * @throws {DecodeError} with code `invalid-value` when the shape is wrong.
   */
  fromJSON(json: unknown, limits: DecodeLimits): M;
}

/** Encodes a model as a whole frame. */
export function encodeFrame<M>(codec: PayloadCodec<M>, model: M): Uint8Array {
  const w = new Writer();
  codec.write(w, model);
  return frame(codec.tag, w.written());
}

/**
 * Verifies a frame and decodes its payload with `codec`.
 * @param knownTags every tag the caller's family defines, to tell `type-mismatch` from
 *   `unknown-type`.
 * @throws {DecodeError}
 */
export function decodeFrame<M>(
  codec: PayloadCodec<M>,
  bytes: unknown,
  limits: DecodeLimits,
  knownTags: ReadonlySet<number>,
): M {
  const { tag, payload } = unframe(bytes, limits);
  if (tag !== codec.tag) {
    if (knownTags.has(tag)) {
      throw new DecodeError('type-mismatch', `a frame of type 0x${hex(tag)} cannot be applied to a ${codec.name}`, 3);
    }
    throw new DecodeError('unknown-type', `type tag 0x${hex(tag)} is not defined`, 3);
  }
  const model = codec.read(payload);
  payload.done();
  return model;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** The JSON twin of a frame (`FORMAT.md` section 5). */
export interface FrameJSON {
  readonly format: 'tandem';
  readonly version: 1;
  readonly type: string;
  readonly payload: unknown;
}

/** Converts frames of a family of codecs to and from their JSON twins. */
export class JsonTwin {
  private readonly byTag = new Map<number, PayloadCodec<unknown>>();
  private readonly byName = new Map<string, PayloadCodec<unknown>>();

  constructor(codecs: readonly PayloadCodec<unknown>[]) {
    for (const codec of codecs) {
      this.byTag.set(codec.tag, codec);
      this.byName.set(codec.name, codec);
    }
  }

  /** Every tag this twin knows. */
  get tags(): ReadonlySet<number> {
    return new Set(this.byTag.keys());
  }

  /**
   * The JSON twin of a frame.
   * @throws {DecodeError} when the frame is invalid.
   */
  toJSON(bytes: Uint8Array, limits: DecodeLimits): FrameJSON {
    const { tag, payload } = unframe(bytes, limits);
    const codec = this.byTag.get(tag);
    if (codec === undefined) throw new DecodeError('unknown-type', `type tag 0x${hex(tag)} is not defined`, 3);
    const model = codec.read(payload);
    payload.done();
    return { format: 'tandem', version: 1, type: codec.name, payload: codec.toJSON(model) };
  }

  /**
   * The frame a JSON twin describes, validated exactly as the binary decoder validates.
   * @throws {DecodeError}
   */
  fromJSON(json: unknown, limits: DecodeLimits): Uint8Array {
    const envelope = expectObject(json, 'frame', ['format', 'version', 'type', 'payload']);
    if (envelope.format !== 'tandem') throw invalid('frame.format must be "tandem"');
    if (envelope.version !== 1) {
      throw new DecodeError('unsupported-version', `frame.version ${String(envelope.version)} is not 1`);
    }
    const codec = typeof envelope.type === 'string' ? this.byName.get(envelope.type) : undefined;
    if (codec === undefined) throw new DecodeError('unknown-type', `frame.type ${JSON.stringify(envelope.type)} is not defined`);
    let bytes: Uint8Array;
    try {
      bytes = encodeFrame(codec, codec.fromJSON(envelope.payload, limits));
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw invalid(`payload: ${(e as Error).message}`);
    }
    // Decode what was written: the binary decoder is the one place the rules live.
    decodeFrame(codec, bytes, limits, this.tags);
    return bytes;
  }
}

function invalid(message: string): DecodeError {
  return new DecodeError('invalid-value', message);
}

/**
 * A plain object from a JSON twin, or a DecodeError naming `path`. With `fields`, any
 * other field is refused too: the twin has one form, and a field it does not define
 * would otherwise vanish without a word.
 */
export function expectObject(json: unknown, path: string, fields?: readonly string[]): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalid(`${path} must be an object`);
  if (fields !== undefined) {
    for (const key of Object.keys(json)) {
      if (!fields.includes(key)) throw invalid(`${path} has a field ${JSON.stringify(key)} that the format does not define`);
    }
  }
  return json as Record<string, unknown>;
}

/** An array from a JSON twin, no longer than `maxItems`. */
export function expectArray(json: unknown, path: string, limits: DecodeLimits): readonly unknown[] {
  if (!Array.isArray(json)) throw invalid(`${path} must be an array`);
  if (json.length > limits.maxItems) {
    throw new DecodeError('limit-exceeded', `${path} has ${json.length} items, more than maxItems ${limits.maxItems}`);
  }
  return json;
}

/** A safe non-negative integer from a JSON twin; at least `min`. */
export function expectUint(json: unknown, path: string, min = 0): number {
  if (typeof json !== 'number' || !Number.isSafeInteger(json) || json < min) {
    throw invalid(`${path} must be a safe integer ≥ ${min}, got ${JSON.stringify(json)}`);
  }
  return json;
}

/** A string from a JSON twin. */
export function expectString(json: unknown, path: string): string {
  if (typeof json !== 'string') throw invalid(`${path} must be a string`);
  return json;
}

/** Own enumerable entries of a JSON object, checked against `maxItems`. */
export function expectEntries(json: unknown, path: string, limits: DecodeLimits): [string, unknown][] {
  const entries = Object.entries(expectObject(json, path));
  if (entries.length > limits.maxItems) {
    throw new DecodeError('limit-exceeded', `${path} has ${entries.length} entries, more than maxItems ${limits.maxItems}`);
  }
  return entries;
}
