/**
 * The binary twin of an op in the one delta format (`FORMAT.md` section 4.7): type tags
 * `0x20` (plain-text op) and `0x21` (rich-text op). The JSON twin of an op's payload is
 * its Quill Delta ops array. Every frame holds an op in normal form, so one op has
 * exactly one encoding; the decoder refuses anything else.
 */
import {
  DEFAULT_LIMITS,
  DecodeError,
  JsonTwin,
  decodeFrame,
  defineOwn,
  encodeFrame,
  readValue,
  resolveLimits,
  writeValue,
  type DecodeLimits,
  type FrameJSON,
  type JsonValue,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../codec/index.js';
import { attributesEqual } from './attributes.js';
import type { AttributeMap, Component } from './component.js';
import { OTError } from './errors.js';
import * as richText from './rich-text/index.js';
import type { RichTextOp } from './rich-text/index.js';
import * as text from './text/index.js';
import type { TextOp } from './text/index.js';

/** Type tags of OT frames (`FORMAT.md` section 3). */
export const OT_TAG = Object.freeze({ TextOp: 0x20, RichTextOp: 0x21 });

const OT_TAGS: ReadonlySet<number> = new Set(Object.values(OT_TAG));

const RETAIN = 0;
const INSERT = 1;
const DELETE = 2;
const FORMATTED = 4;

function writeOp(w: Writer, op: readonly Component[]): void {
  w.uint(op.length);
  for (const c of op) {
    const attributes = 'delete' in c ? undefined : c.attributes;
    const flag = attributes === undefined ? 0 : FORMATTED;
    if ('insert' in c) {
      w.u8(INSERT | flag);
      w.str(c.insert);
    } else if ('retain' in c) {
      w.u8(RETAIN | flag);
      w.uint(c.retain);
    } else {
      w.u8(DELETE);
      w.uint(c.delete);
    }
    if (attributes !== undefined) {
      const names = Object.keys(attributes).sort();
      w.uint(names.length);
      for (const name of names) {
        w.str(name);
        writeValue(w, attributes[name]!);
      }
    }
  }
}

function readAttributes(r: Reader, inserting: boolean): AttributeMap {
  const n = r.count(2);
  if (n === 0) throw r.error('non-canonical', 'an empty attribute map is never written');
  const out: Record<string, JsonValue> = {};
  let previous: string | undefined;
  for (let i = 0; i < n; i++) {
    const name = r.str();
    if (previous !== undefined && !(previous < name)) throw r.error('non-canonical', 'attribute names must be unique and sorted');
    previous = name;
    const value = readValue(r, 1);
    if (value === null && inserting) throw r.error('invalid-value', 'an insert has no null attribute');
    defineOwn(out, name, value);
  }
  return Object.freeze(out);
}

/** Reads an op, refusing anything that is not in normal form. */
function readOp(r: Reader, rich: boolean): Component[] {
  const n = r.count(2);
  const op: Component[] = new Array(n);
  let previousKind = -1;
  let previousAttributes: AttributeMap | undefined;
  for (let i = 0; i < n; i++) {
    const head = r.u8();
    const kind = head & 3;
    if (head > (rich ? 7 : 3) || kind === 3 || (kind === DELETE && head !== DELETE)) {
      throw r.error('invalid-value', `component head 0x${head.toString(16)} is not defined`);
    }
    let component: Component;
    if (kind === INSERT) {
      const insert = r.str();
      if (insert.length === 0) throw r.error('invalid-value', "an insert is never ''");
      const attributes = head & FORMATTED ? readAttributes(r, true) : undefined;
      component = attributes === undefined ? { insert } : { insert, attributes };
      if (previousKind === DELETE) throw r.error('non-canonical', 'an insert comes before the delete it meets');
      if (previousKind === INSERT && attributesEqual(previousAttributes, attributes)) {
        throw r.error('non-canonical', 'adjacent inserts with equal attributes are one component');
      }
      previousAttributes = attributes;
    } else {
      const length = r.uint();
      if (length === 0) throw r.error('invalid-value', 'a retain or delete is at least 1 long');
      if (kind === RETAIN) {
        const attributes = head & FORMATTED ? readAttributes(r, false) : undefined;
        component = attributes === undefined ? { retain: length } : { retain: length, attributes };
        if (previousKind === RETAIN && attributesEqual(previousAttributes, attributes)) {
          throw r.error('non-canonical', 'adjacent retains with equal attributes are one component');
        }
        if (i === n - 1 && attributes === undefined) throw r.error('non-canonical', 'an op never ends with a plain retain');
        previousAttributes = attributes;
      } else {
        if (previousKind === DELETE) throw r.error('non-canonical', 'adjacent deletes are one component');
        component = { delete: length };
      }
    }
    previousKind = kind;
    op[i] = component;
  }
  return op;
}

function opCodec(tag: number, name: string, rich: boolean): PayloadCodec<readonly Component[]> {
  return {
    tag,
    name,
    read: (r) => readOp(r, rich),
    write: writeOp,
    toJSON: (op) => op,
    fromJSON(json: unknown): readonly Component[] {
      try {
        if (rich) richText.validate(json);
        else text.validate(json);
      } catch (e) {
        if (e instanceof OTError) throw new DecodeError('invalid-value', `payload: ${e.message}`);
        throw e;
      }
      return json;
    },
  };
}

/** Payload codec of plain-text op frames (tag `0x20`, JSON type `text-op`). */
export const textOpCodec: PayloadCodec<readonly Component[]> = opCodec(OT_TAG.TextOp, 'text-op', false);
/** Payload codec of rich-text op frames (tag `0x21`, JSON type `rich-text-op`). */
export const richTextOpCodec: PayloadCodec<readonly Component[]> = opCodec(OT_TAG.RichTextOp, 'rich-text-op', true);
/** The payload codecs of every OT frame, for tools that handle any frame. */
export const otCodecs: readonly PayloadCodec<unknown>[] = [textOpCodec, richTextOpCodec];

const twin = new JsonTwin(otCodecs);

/**
 * A plain-text op as one frame, in normal form (so equal ops encode identically).
 * @throws {OTError} when `op` is malformed.
 */
export function encodeTextOp(op: TextOp): Uint8Array {
  return encodeFrame(textOpCodec, text.normalize(op));
}

/**
 * The plain-text op a frame holds, normalized and validated.
 * @throws {DecodeError} when the bytes are not a valid plain-text op frame.
 */
export function decodeTextOp(bytes: Uint8Array, limits?: Partial<DecodeLimits>): TextOp {
  return decodeFrame(textOpCodec, bytes, limits === undefined ? DEFAULT_LIMITS : resolveLimits(limits), OT_TAGS) as TextOp;
}

/**
 * A rich-text op as one frame, in normal form (attribute names sorted, values canonical).
 * @throws {OTError} when `op` is malformed.
 */
export function encodeRichTextOp(op: RichTextOp): Uint8Array {
  return encodeFrame(richTextOpCodec, richText.normalize(op));
}

/**
 * The rich-text op a frame holds, normalized, validated and frozen attribute maps.
 * @throws {DecodeError} when the bytes are not a valid rich-text op frame.
 */
export function decodeRichTextOp(bytes: Uint8Array, limits?: Partial<DecodeLimits>): RichTextOp {
  return decodeFrame(richTextOpCodec, bytes, limits === undefined ? DEFAULT_LIMITS : resolveLimits(limits), OT_TAGS);
}

/**
 * The JSON twin of an OT frame: `{ format, version, type: 'text-op' | 'rich-text-op',
 * payload: <ops array> }`.
 * @throws {DecodeError} when `bytes` is not a valid OT frame.
 */
export function opToJSON(bytes: Uint8Array, limits?: Partial<DecodeLimits>): FrameJSON {
  return twin.toJSON(bytes, resolveLimits(limits));
}

/**
 * The OT frame a JSON twin describes; `opFromJSON(opToJSON(b))` is byte-identical to `b`.
 * The payload must be an op in normal form.
 * @throws {DecodeError} when the JSON does not describe a valid OT frame.
 */
export function opFromJSON(json: unknown, limits?: Partial<DecodeLimits>): Uint8Array {
  return twin.fromJSON(json, resolveLimits(limits));
}
