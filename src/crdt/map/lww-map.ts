import {
  DecodeError,
  ReplicaTableReader,
  ReplicaTableWriter,
  expectObject,
  expectString,
  ingestValue,
  checkStringSize,
  isWellFormed,
  readValue,
  valuesEqual,
  writeValue,
  type DecodeLimits,
  type JsonValue,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import { HybridLogicalClock, VersionVector, compareDots } from '../clock/index.js';
import { checkHistory, compareWrites, readStampLogical, readStampWall, writeFromJSON, writeStamp, writeToJSON, type Write } from '../lww.js';
import { ReplicatedBase, type ChangeEvent, type ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import {
  addVersionReplicas,
  deltaBase,
  mapObjects,
  readBase,
  readGroups,
  readVersion,
  versionFromJSON,
  writeGroups,
  writeVersion,
} from '../wire.js';

/** Stands where a value would, for a deletion: never a value tag (`FORMAT.md` 1.1). */
const DELETED = 0xff;

/** A write to one key. */
interface KeyedWrite extends Write {
  readonly key: string;
}

/** Payload model of an `LWWMap` (`FORMAT.md` 4.4): entries sorted by dot. */
interface LWWMapModel {
  readonly version: VersionVector;
  readonly base: VersionVector;
  readonly entries: readonly KeyedWrite[];
}

/** Payload codec of `LWWMap` frames. */
export const lwwMapCodec: PayloadCodec<LWWMapModel> = {
  tag: TAG.LWWMap,
  name: 'lww-map',
  write(w: Writer, model: LWWMapModel): void {
    const table = new ReplicaTableWriter();
    addVersionReplicas(table, model.version);
    table.write(w);
    writeVersion(w, table, model.version);
    writeVersion(w, table, model.base);
    writeGroups(w, table, model.entries, (w, e, previous) => {
      w.str(e.key);
      writeStamp(w, e, previous);
      if (e.value === undefined) w.u8(DELETED);
      else writeValue(w, e.value);
    });
  },
  read(r: Reader): LWWMapModel {
    const table = new ReplicaTableReader(r);
    const version = readVersion(r, table);
    const base = readBase(r, table, version);
    // Keys are unique in a frame; `merge` checks it, where it costs no extra hash table.
    const entries = readGroups(r, table, version, base, (r, replica, counter, previous: KeyedWrite | undefined): KeyedWrite => {
      const key = r.str();
      const wall = readStampWall(r, previous);
      const logical = readStampLogical(r, previous);
      let value: JsonValue | undefined;
      if (r.remaining > 0 && r.bytes[r.pos] === DELETED) r.pos++;
      else value = readValue(r);
      return { key, replica, counter, wall, logical, value };
    });
    table.finish(r);
    return { version, base, entries };
  },
  toJSON(model: LWWMapModel): unknown {
    return {
      version: model.version.toJSON(),
      base: model.base.toJSON(),
      entries: model.entries.map((e) => ({ key: e.key, ...writeToJSON(e) })),
    };
  },
  fromJSON(json: unknown, limits: DecodeLimits): LWWMapModel {
    const o = expectObject(json, 'payload', ['version', 'base', 'entries']);
    return {
      version: versionFromJSON(o.version, 'payload.version', limits),
      base: versionFromJSON(o.base, 'payload.base', limits),
      entries: mapObjects(o.entries, 'payload.entries', limits, ['key', 'replica', 'counter', 'wall', 'logical', 'value'], (e, path) => ({
        key: expectString(e.key, `${path}.key`),
        ...writeFromJSON(e, path, limits, false),
      })),
    };
  },
};

/** Emitted when a map changes. */
export interface MapChange extends ChangeEvent {
  /** Keys whose value changed, appeared or disappeared, in no particular order. */
  readonly keys: readonly string[];
}

/** Options of {@link LWWMap}. */
export interface LWWMapOptions extends ReplicatedOptions {
  /** Physical clock in milliseconds, `Date.now` by default; tests inject their own. */
  readonly now?: () => number;
}

function duplicateKey(key: string): DecodeError {
  return new DecodeError('invalid-value', `key ${JSON.stringify(key)} appears twice in one update`);
}

/**
 * Validates a map key given to a local method.
 * @throws {TypeError} when it is not a well-formed string; {@link RangeError} when it is
 *   longer than `maxStringBytes` in UTF-8.
 */
export function checkKey(key: unknown, limits: DecodeLimits): string {
  if (typeof key !== 'string') throw new TypeError(`map keys are strings, got ${typeof key}`);
  if (!isWellFormed(key)) throw new TypeError('map keys must be well-formed UTF-16 (no lone surrogate)');
  checkStringSize(key, 'key', limits.maxStringBytes);
  return key;
}

/**
 * A map from string keys to JSON values where each key is a last-writer-wins register:
 * of concurrent writes to a key (sets or deletes), the latest by hybrid logical clock
 * wins. A deleted key keeps a small deletion record (key, timestamp) so that an older
 * concurrent `set` cannot bring it back. Any string is a key, `__proto__` included.
 *
 * @example
 * const prefs = new LWWMap<string>({ replica: 'alice' });
 * prefs.set('theme', 'dark'); prefs.get('theme') // 'dark'
 */
export class LWWMap<V extends JsonValue = JsonValue> extends ReplicatedBase<LWWMapModel, MapChange> {
  private readonly vv = new VersionVector();
  private readonly hlc: HybridLogicalClock;
  private readonly writes = new Map<string, KeyedWrite>();
  private live = 0;

  constructor(options: LWWMapOptions) {
    super(options, lwwMapCodec);
    this.hlc = new HybridLogicalClock({ replica: this.replica, ...(options.now ? { now: options.now } : {}) });
  }

  protected get clock(): VersionVector {
    return this.vv;
  }

  /** Number of keys with a value. */
  get size(): number {
    return this.live;
  }

  /**
   * The value of `key` (frozen), or `undefined` when it has none.
   * @throws {TypeError} when `key` is not a string.
   */
  get(key: string): V | undefined {
    return this.writes.get(checkKey(key, this.limits))?.value as V | undefined;
  }

  /**
   * Whether `key` has a value.
   * @throws {TypeError} when `key` is not a string.
   */
  has(key: string): boolean {
    return this.writes.get(checkKey(key, this.limits))?.value !== undefined;
  }

  /**
   * Sets `key` to `value`; a no-op when it already holds an equal value.
   * @throws {TypeError} when `key` is not a well-formed string or `value` is not JSON;
   *   {@link RangeError} when `value` nests too deep.
   */
  set(key: string, value: V): this {
    checkKey(key, this.limits);
    const v = ingestValue(value, 'value', this.limits);
    const current = this.writes.get(key);
    if (current?.value !== undefined && valuesEqual(current.value, v)) return this;
    this.write(key, v, current);
    return this;
  }

  /**
   * Deletes `key`; returns whether it had a value.
   * @throws {TypeError} when `key` is not a well-formed string.
   */
  delete(key: string): boolean {
    checkKey(key, this.limits);
    const current = this.writes.get(key);
    if (current?.value === undefined) return false;
    this.write(key, undefined, current);
    return true;
  }

  private write(key: string, value: JsonValue | undefined, current: KeyedWrite | undefined): void {
    const ts = this.hlc.now();
    const counter = this.vv.next(this.replica);
    this.writes.set(key, { key, replica: this.replica, counter, wall: ts.wall, logical: ts.logical, value });
    this.live += (value === undefined ? 0 : 1) - (current?.value === undefined ? 0 : 1);
    this.emit({ origin: 'local', keys: [key] });
  }

  /** Keys with a value, sorted by UTF-16 code units (the same order on every replica). */
  keys(): string[] {
    const out: string[] = [];
    for (const [key, w] of this.writes) if (w.value !== undefined) out.push(key);
    return out.sort();
  }

  /** `[key, value]` pairs, sorted by key. */
  entries(): [string, V][] {
    return this.keys().map((key) => [key, this.writes.get(key)!.value as V]);
  }

  protected claims(model: LWWMapModel): number {
    return model.version.get(this.replica);
  }

  protected snapshot(since: VersionVector | undefined): LWWMapModel {
    const base = deltaBase(since, this.vv);
    const entries: KeyedWrite[] = [];
    for (const w of this.writes.values()) if (!base.contains(w)) entries.push(w);
    entries.sort(compareDots);
    return { version: this.vv.clone(), base, entries };
  }

  protected override checkHeld(model: LWWMapModel): void {
    const distinct = new Set<string>();
    for (const e of model.entries) if (distinct.size === distinct.add(e.key).size) throw duplicateKey(e.key);
  }

  protected merge(model: LWWMapModel): MapChange | undefined {
    const entries = model.entries;
    const keys: string[] = [];
    if (this.vv.size === 0) {
      // A replica that has seen nothing holds nothing to look up or contradict. A key
      // named twice shows as a map that did not grow, and clearing undoes the partial
      // merge, since there was nothing before it.
      for (const e of entries) {
        const size = this.writes.size;
        this.writes.set(e.key, e);
        if (this.writes.size === size) {
          this.writes.clear();
          this.live = 0;
          throw duplicateKey(e.key);
        }
        if (e.value !== undefined) {
          this.live++;
          keys.push(e.key);
        }
      }
      for (const e of entries) this.hlc.observe(e.wall, e.logical);
      const advanced = this.vv.merge(model.version);
      return entries.length > 0 || advanced ? { origin: 'remote', keys } : undefined;
    }
    const distinct = new Set<string>();
    const currents: (KeyedWrite | undefined)[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (distinct.size === distinct.add(e.key).size) throw duplicateKey(e.key);
      currents[i] = this.writes.get(e.key);
      checkHistory(currents[i], e, this.vv.contains(e));
    }
    let replaced = false;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const current = currents[i];
      this.hlc.observe(e.wall, e.logical);
      if (current !== undefined && compareWrites(e, current) <= 0) continue;
      this.writes.set(e.key, e);
      replaced = true;
      const before = current?.value;
      this.live += (e.value === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
      if (before === undefined ? e.value !== undefined : e.value === undefined || !valuesEqual(before, e.value)) keys.push(e.key);
    }
    const advanced = this.vv.merge(model.version);
    return replaced || advanced ? { origin: 'remote', keys } : undefined;
  }
}
