import type { JsonValue } from '../../codec/index.js';
import type { SlotView } from '../causal/causal-base.js';
import { causalCodec } from '../causal/codec.js';
import { valueEntryCodec, type ValueEntry } from '../causal/entries.js';
import type { ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { CausalSet } from './causal-set.js';

/** Payload codec of `AWSet` frames. */
export const awSetCodec = causalCodec(TAG.AWSet, 'aw-set', valueEntryCodec);

/**
 * An add-wins observed-remove set of JSON values. `delete` removes the adds it has seen;
 * an add it had not seen (a concurrent one) survives, so a concurrent add and delete of
 * an element leave it in the set. Removed elements leave no tombstones: only a version
 * vector remembers them. Elements compare by JSON content; adding a member is a no-op.
 *
 * @example
 * const team = new AWSet<string>({ replica: 'alice' });
 * team.add('bob'); team.delete('bob'); team.has('bob') // false
 */
export class AWSet<T extends JsonValue = JsonValue> extends CausalSet<ValueEntry, T> {
  constructor(options: ReplicatedOptions) {
    super(options, awSetCodec);
  }

  /** An element is a member while it has an alive entry. */
  protected show(slot: SlotView<ValueEntry>): boolean {
    return slot.size > 0;
  }

  /**
   * Adds `value`; a no-op when it is a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  add(value: T): this {
    const v = this.element(value);
    if (this.entriesOf(v).length === 0) this.replaceLocal([], (counter) => ({ replica: this.replica, counter, value: v }));
    return this;
  }

  /**
   * Removes `value`; returns whether it was a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  delete(value: T): boolean {
    const entries = this.entriesOf(this.element(value));
    if (entries.length === 0) return false;
    this.replaceLocal(entries, undefined);
    return true;
  }
}
