import { ValueMap, ingestValue, type JsonValue, type PayloadCodec } from '../../codec/index.js';
import { CausalBase, type CausalModel } from '../causal/dot-store.js';
import type { ValueEntry } from '../causal/entries.js';
import type { ReplicatedOptions } from '../replicated.js';
import { sortValues, type SetChange } from './shared.js';

/**
 * What `AWSet` and `RWSet` share: alive entries indexed by element, and membership
 * decided from an element's entries by the subclass.
 */
export abstract class CausalSet<E extends ValueEntry, T extends JsonValue> extends CausalBase<E, SetChange<T>> {
  /** The alive entries of each element that has any. */
  protected readonly index = new ValueMap<E[]>();
  private members = 0;

  protected constructor(options: ReplicatedOptions, codec: PayloadCodec<CausalModel<E>>) {
    super(options, codec);
  }

  /** Whether an element with these alive entries is a member. */
  protected abstract isMember(entries: readonly E[] | undefined): boolean;

  /** Validates an element given to a local method. */
  protected element(value: T): JsonValue {
    return ingestValue(value, 'element', this.limits.maxDepth);
  }

  /** Number of members. */
  get size(): number {
    return this.members;
  }

  /**
   * Whether `value` (compared by JSON content) is a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  has(value: T): boolean {
    return this.isMember(this.index.get(this.element(value)));
  }

  /** The members (frozen), in the order of their JSON text: the same on every replica. */
  values(): T[] {
    const out: T[] = [];
    for (const entries of this.index.values()) if (this.isMember(entries)) out.push(entries[0]!.value as T);
    return sortValues(out);
  }

  protected indexAdd(entry: E): void {
    const list = this.index.get(entry.value);
    if (list === undefined) this.index.set(entry.value, [entry]);
    else list.push(entry);
  }

  protected indexRemove(entry: E): void {
    const list = this.index.get(entry.value)!;
    const at = list.indexOf(entry);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) this.index.delete(entry.value);
  }

  protected describe(touched: readonly E[], mutate: () => void): SetChange<T> {
    const before = new ValueMap<boolean>();
    for (const e of touched) before.set(e.value, this.isMember(this.index.get(e.value)));
    mutate();
    const added: T[] = [];
    const removed: T[] = [];
    for (const e of touched) {
      const was = before.get(e.value);
      if (was === undefined) continue;
      before.delete(e.value);
      const is = this.isMember(this.index.get(e.value));
      if (is && !was) added.push(e.value as T);
      if (was && !is) removed.push(e.value as T);
    }
    this.members += added.length - removed.length;
    return { origin: 'remote', added, removed };
  }
}
