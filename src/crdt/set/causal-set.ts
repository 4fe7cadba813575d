import { ValueMap, ingestValue, type JsonValue, type PayloadCodec } from '../../codec/index.js';
import { CausalBase, type Slot } from '../causal/causal-base.js';
import type { CausalModel } from '../causal/codec.js';
import type { ValueEntry } from '../causal/entries.js';
import type { ReplicatedOptions } from '../replicated.js';
import { sortValues, type SetChange } from './shared.js';

/**
 * What `AWSet` and `RWSet` share: alive entries indexed by element, and membership
 * decided from an element's entries by the subclass.
 */
export abstract class CausalSet<E extends ValueEntry, T extends JsonValue> extends CausalBase<
  E,
  SetChange<T>,
  JsonValue,
  boolean
> {
  protected readonly index = new ValueMap<Slot<E, JsonValue, boolean>>();
  private members = 0;

  protected constructor(options: ReplicatedOptions, codec: PayloadCodec<CausalModel<E>>) {
    super(options, codec);
  }

  protected keyOf(entry: E): JsonValue {
    return entry.value;
  }

  /** Validates an element given to a local method. */
  protected element(value: T): JsonValue {
    return ingestValue(value, 'element', this.limits);
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
    return this.showKey(this.element(value));
  }

  /** The members (frozen), in the order of their JSON text: the same on every replica. */
  values(): T[] {
    const out: T[] = [];
    for (const slot of this.index.values()) if (this.show(slot)) out.push(slot.key as T);
    return sortValues(out);
  }

  protected event(touched: readonly Slot<E, JsonValue, boolean>[]): SetChange<T> {
    const added: T[] = [];
    const removed: T[] = [];
    for (const slot of touched) {
      const now = this.show(slot);
      if (now && !slot.before) added.push(slot.key as T);
      else if (slot.before && !now) removed.push(slot.key as T);
    }
    this.members += added.length - removed.length;
    return { origin: 'remote', added, removed };
  }
}
