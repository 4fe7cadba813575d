import { ingestValue, valuesEqual, type JsonValue } from '../../codec/index.js';
import { HybridLogicalClock } from '../clock/index.js';
import { CausalBase, type Slot, type SlotView } from '../causal/causal-base.js';
import { causalCodec, type CausalModel } from '../causal/codec.js';
import { keyEntryCodec, type KeyEntry } from '../causal/entries.js';
import { compareWrites } from '../lww.js';
import { TAG } from '../tags.js';
import { checkKey, type LWWMapOptions, type MapChange } from './lww-map.js';

/** Payload codec of `AWMap` frames. */
export const awMapCodec = causalCodec(TAG.AWMap, 'aw-map', keyEntryCodec);

/** Options of {@link AWMap}. */
export type AWMapOptions = LWWMapOptions;

/**
 * A map from string keys to JSON values with add-wins keys: `delete` removes the writes
 * it has seen, so a `set` concurrent with a `delete` keeps the key. Of concurrent sets of
 * one key, the latest by hybrid logical clock gives the value. Deleted keys leave no
 * tombstones. Any string is a key, `__proto__` included.
 *
 * @example
 * const cart = new AWMap<number>({ replica: 'alice' });
 * cart.set('apples', 3); cart.delete('apples'); cart.has('apples') // false
 */
export class AWMap<V extends JsonValue = JsonValue> extends CausalBase<KeyEntry, MapChange, string, JsonValue | undefined> {
  protected readonly index = new Map<string, Slot<KeyEntry, string, JsonValue | undefined>>();
  private readonly hlc: HybridLogicalClock;

  constructor(options: AWMapOptions) {
    super(options, awMapCodec);
    this.hlc = new HybridLogicalClock({ replica: this.replica, ...(options.now ? { now: options.now } : {}) });
  }

  /** Number of keys with a value. */
  get size(): number {
    return this.index.size;
  }

  /**
   * The value of `key` (frozen), or `undefined` when it has none.
   * @throws {TypeError} when `key` is not a string.
   */
  get(key: string): V | undefined {
    return this.showKey(checkKey(key, this.limits)) as V | undefined;
  }

  /**
   * Whether `key` has a value.
   * @throws {TypeError} when `key` is not a string.
   */
  has(key: string): boolean {
    return this.index.has(checkKey(key, this.limits));
  }

  /**
   * Sets `key` to `value`; a no-op when it holds that value alone (a set also resolves
   * concurrent values into one).
   * @throws {TypeError} when `key` is not a well-formed string or `value` is not JSON;
   *   {@link RangeError} when `value` nests too deep.
   */
  set(key: string, value: V): this {
    checkKey(key, this.limits);
    const v = ingestValue(value, 'value', this.limits);
    const current = this.entriesOf(key);
    if (current.length === 1 && valuesEqual(current[0]!.value, v)) return this;
    const ts = this.hlc.now();
    this.replaceLocal(current, (counter) => ({ replica: this.replica, counter, key, wall: ts.wall, logical: ts.logical, value: v }));
    return this;
  }

  /**
   * Deletes `key`; returns whether it had a value.
   * @throws {TypeError} when `key` is not a well-formed string.
   */
  delete(key: string): boolean {
    checkKey(key, this.limits);
    const current = this.entriesOf(key);
    if (current.length === 0) return false;
    this.replaceLocal(current, undefined);
    return true;
  }

  /** Keys with a value, sorted by UTF-16 code units (the same order on every replica). */
  keys(): string[] {
    return [...this.index.keys()].sort();
  }

  /** `[key, value]` pairs, sorted by key. */
  entries(): [string, V][] {
    return this.keys().map((key) => [key, this.showKey(key) as V]);
  }

  protected override merge(model: CausalModel<KeyEntry>): MapChange | undefined {
    for (const e of model.entries) this.hlc.observe(e.wall, e.logical);
    return super.merge(model);
  }

  protected keyOf(entry: KeyEntry): string {
    return entry.key;
  }

  /**
   * The value a key shows: that of its latest entry by timestamp, which
   * {@link AWMap.order} puts last.
   */
  protected show(slot: SlotView<KeyEntry>): JsonValue | undefined {
    return slot.last?.value;
  }

  /**
   * Puts a key's latest entry by timestamp last, where {@link AWMap.show} reads it. When
   * entries were only appended, the previous latest (the last of the old ones) need only
   * be compared with the new ones.
   */
  protected override order(entries: KeyEntry[], from: number): void {
    const last = entries.length - 1;
    let best = from > 0 ? from - 1 : 0;
    for (let i = best + 1; i <= last; i++) if (compareWrites(entries[i]!, entries[best]!) > 0) best = i;
    if (best !== last) [entries[best], entries[last]] = [entries[last]!, entries[best]!];
  }

  protected event(touched: readonly Slot<KeyEntry, string, JsonValue | undefined>[]): MapChange {
    const keys: string[] = [];
    for (const slot of touched) {
      const now = this.show(slot);
      const was = slot.before;
      if (was === undefined ? now !== undefined : now === undefined || !valuesEqual(was, now)) keys.push(slot.key);
    }
    return { origin: 'remote', keys };
  }
}
