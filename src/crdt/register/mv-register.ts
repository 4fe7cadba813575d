import { ingestValue, valuesEqual, type JsonValue } from '../../codec/index.js';
import { compareDots } from '../clock/index.js';
import { CausalBase, type Slot } from '../causal/causal-base.js';
import { causalCodec } from '../causal/codec.js';
import { valueEntryCodec, type ValueEntry } from '../causal/entries.js';
import type { ChangeEvent, ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';

/** Payload codec of `MVRegister` frames. */
export const mvRegisterCodec = causalCodec(TAG.MVRegister, 'mv-register', valueEntryCodec);

/**
 * A multi-value register: a write replaces every value it has seen; concurrent writes
 * are all kept, and {@link MVRegister.values} returns each of them, so the application
 * can show the conflict or resolve it with a new `set`. Setting the value it already
 * holds (alone) is a no-op.
 *
 * @example
 * const colour = new MVRegister<string>({ replica: 'alice' });
 * colour.set('red'); colour.values() // ['red']
 */
export class MVRegister<T extends JsonValue = JsonValue> extends CausalBase<ValueEntry, ChangeEvent, null, null> {
  /** Every entry belongs to the register's one slot. */
  protected readonly index = new Map<null, Slot<ValueEntry, null, null>>();

  constructor(options: ReplicatedOptions) {
    super(options, mvRegisterCodec);
  }

  /**
   * Every concurrent value (frozen), ordered by the writer's replica id then its event:
   * the same order on every replica. Empty before any write.
   */
  values(): T[] {
    return [...this.store.entries()].sort(compareDots).map((e) => e.value as T);
  }

  /**
   * Writes `value`, replacing every value seen so far.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  set(value: T): this {
    const v = ingestValue(value, 'value', this.limits);
    const current = this.entriesOf(null);
    if (current.length === 1 && valuesEqual(current[0]!.value, v)) return this;
    this.replaceLocal(current, (counter) => ({ replica: this.replica, counter, value: v }));
    return this;
  }

  protected keyOf(): null {
    return null;
  }

  protected show(): null {
    return null;
  }

  protected event(): ChangeEvent {
    return { origin: 'remote' };
  }
}
