/** Entry codecs of the causal types (`FORMAT.md` 4.6, table of `P`). */
import { expectString, readValue, valueFromJSON, writeValue, type JsonValue } from '../../codec/index.js';
import { DecodeError } from '../../codec/index.js';
import type { Dot } from '../clock/index.js';
import { readStampLogical, readStampWall, writeFromJSON, writeStamp, type Write } from '../lww.js';
import type { EntryCodec } from './codec.js';

/** An entry holding one value: an `AWSet` element or an `MVRegister` value. */
export interface ValueEntry extends Dot {
  readonly value: JsonValue;
}

/** Entry codec of `AWSet` and `MVRegister`. */
export const valueEntryCodec: EntryCodec<ValueEntry> = {
  fields: ['value'],
  write: (w, e) => writeValue(w, e.value),
  read: (r, replica, counter) => ({ replica, counter, value: readValue(r) }),
  toJSON: (e) => ({ value: e.value }),
  fromJSON: (o, dot, _path, limits) => ({ ...dot, value: valueFromJSON(o.value, limits) }),
};

/** An `RWSet` token: an add or a removal of one element. */
export interface TokenEntry extends ValueEntry {
  readonly kind: 'add' | 'remove';
}

/** Entry codec of `RWSet`. */
export const tokenEntryCodec: EntryCodec<TokenEntry> = {
  fields: ['kind', 'value'],
  write: (w, e) => {
    w.u8(e.kind === 'add' ? 0 : 1);
    writeValue(w, e.value);
  },
  read: (r, replica, counter) => {
    const kind = r.u8();
    if (kind > 1) throw r.error('invalid-value', 'a token kind is 0 (add) or 1 (remove)');
    return { replica, counter, kind: kind === 0 ? 'add' : 'remove', value: readValue(r) };
  },
  toJSON: (e) => ({ kind: e.kind, value: e.value }),
  fromJSON: (o, dot, path, limits) => {
    if (o.kind !== 'add' && o.kind !== 'remove') throw new DecodeError('invalid-value', `${path}.kind must be "add" or "remove"`);
    return { ...dot, kind: o.kind, value: valueFromJSON(o.value, limits) };
  },
};

/** An `AWMap` entry: a key written with a timestamped value. */
export interface KeyEntry extends Write {
  readonly key: string;
  readonly value: JsonValue;
}

/** Entry codec of `AWMap`. */
export const keyEntryCodec: EntryCodec<KeyEntry> = {
  fields: ['key', 'wall', 'logical', 'value'],
  write: (w, e, previous) => {
    w.str(e.key);
    writeStamp(w, e, previous);
    writeValue(w, e.value);
  },
  read: (r, replica, counter, previous) => {
    const key = r.str();
    const wall = readStampWall(r, previous);
    const logical = readStampLogical(r, previous);
    return { replica, counter, key, wall, logical, value: readValue(r) };
  },
  toJSON: (e) => ({ key: e.key, wall: e.wall, logical: e.logical, value: e.value }),
  fromJSON: (o, _dot, path, limits) => {
    const write = writeFromJSON(o, path, limits, true);
    return { ...write, key: expectString(o.key, `${path}.key`), value: write.value as JsonValue };
  },
};
