import { crc32 } from './crc32.js';
import { DecodeError } from './errors.js';
import type { DecodeLimits } from './limits.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

/** The two magic bytes that open every frame: `TD`. */
export const MAGIC = Object.freeze([0x54, 0x44] as const);
/** The format version this code writes and reads. */
export const FORMAT_VERSION = 1;
/** Magic, version, type tag, a one-byte payload length and the CRC: the smallest frame. */
const MIN_FRAME = 9;

/**
 * Frames a payload (`FORMAT.md` section 2): header, payload length, payload, CRC-32.
 * @param tag the type tag of `FORMAT.md` section 3.
 */
export function frame(tag: number, payload: Uint8Array): Uint8Array {
  const w = new Writer(payload.length + 16);
  w.u8(MAGIC[0]);
  w.u8(MAGIC[1]);
  w.u8(FORMAT_VERSION);
  w.u8(tag);
  w.uint(payload.length);
  w.raw(payload);
  const crcAt = w.reserve(4);
  w.u32At(crcAt, crc32(w.written(), 0, crcAt));
  return w.finish();
}

/** A frame whose header and checksum have been verified. */
export interface Unframed {
  /** The type tag. */
  readonly tag: number;
  /** A reader positioned on the payload, bounded to it. */
  readonly payload: Reader;
}

/**
 * Verifies a frame's header, length and checksum, in the order `FORMAT.md` section 2 gives.
 * The type tag is returned unchecked: the caller knows which tags it accepts.
 * @throws {DecodeError} for anything but a well-formed frame.
 */
export function unframe(bytes: unknown, limits: DecodeLimits): Unframed {
  if (!(bytes instanceof Uint8Array)) {
    throw new DecodeError('invalid-value', `an update must be a Uint8Array, got ${describe(bytes)}`);
  }
  if (bytes.length > limits.maxBytes) {
    throw new DecodeError('limit-exceeded', `frame of ${bytes.length} bytes exceeds maxBytes ${limits.maxBytes}`);
  }
  if (bytes.length < MIN_FRAME) {
    throw new DecodeError('truncated', `a frame has at least ${MIN_FRAME} bytes, got ${bytes.length}`);
  }
  if (bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) {
    throw new DecodeError('bad-magic', 'a frame starts with the bytes 54 44 ("TD")', 0);
  }
  if (bytes[2] !== FORMAT_VERSION) {
    throw new DecodeError('unsupported-version', `format version ${bytes[2]} is not ${FORMAT_VERSION}`, 2);
  }
  const header = new Reader(bytes, limits, 4);
  const length = header.uint();
  const available = bytes.length - header.pos - 4;
  if (length > available) {
    throw new DecodeError('truncated', `payload of ${length} bytes but only ${Math.max(available, 0)} present`, header.pos);
  }
  if (length < available) {
    throw new DecodeError('trailing-bytes', `${available - length} bytes after the frame`, header.pos + length + 4);
  }
  const crcAt = header.pos + length;
  const stored = (bytes[crcAt]! | (bytes[crcAt + 1]! << 8) | (bytes[crcAt + 2]! << 16) | (bytes[crcAt + 3]! << 24)) >>> 0;
  if (crc32(bytes, 0, crcAt) !== stored) {
    throw new DecodeError('checksum', 'CRC-32 does not match the frame', crcAt);
  }
  return { tag: bytes[3]!, payload: new Reader(bytes, limits, header.pos, crcAt) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
