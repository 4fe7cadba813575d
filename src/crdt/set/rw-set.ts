import type { JsonValue } from '../../codec/index.js';
import type { SlotView } from '../causal/causal-base.js';
import { causalCodec } from '../causal/codec.js';
import { tokenEntryCodec, type TokenEntry } from '../causal/entries.js';
import type { ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { CausalSet } from './causal-set.js';

/** Payload codec of `RWSet` frames. */
export const rwSetCodec = causalCodec(TAG.RWSet, 'rw-set', tokenEntryCodec);

/**
 * A remove-wins set of JSON values: when an add and a delete of an element are
 * concurrent, the delete wins; an add made after seeing a delete brings the element back.
 * To beat adds it has not seen yet, a delete leaves a small token (the element and a
 * dot) until a later add replaces it: unlike {@link AWSet}, removed elements are not free.
 * Elements compare by JSON content; adding a member is a no-op.
 *
 * @example
 * const blocked = new RWSet<string>({ replica: 'alice' });
 * blocked.add('mallory'); blocked.delete('mallory'); blocked.has('mallory') // false
 */
export class RWSet<T extends JsonValue = JsonValue> extends CausalSet<TokenEntry, T> {
  constructor(options: ReplicatedOptions) {
    super(options, rwSetCodec);
  }

  /** A member has tokens, and all of them are adds ({@link RWSet.order} puts a removal first). */
  protected show(tokens: SlotView<TokenEntry>): boolean {
    return tokens.first?.kind === 'add';
  }

  /**
   * Puts a removal token, if there is one, first. When tokens were only appended and the
   * first is already a removal, nothing moves; otherwise only the new ones need a look.
   */
  protected override order(tokens: TokenEntry[], from: number): void {
    if (tokens[0]!.kind === 'remove') return;
    for (let i = from; i < tokens.length; i++) {
      if (tokens[i]!.kind === 'remove') {
        [tokens[0], tokens[i]] = [tokens[i]!, tokens[0]!];
        return;
      }
    }
  }

  /**
   * Adds `value`; a no-op when it is a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  add(value: T): this {
    const v = this.element(value);
    if (!this.showKey(v)) this.replaceLocal(this.entriesOf(v), (counter) => ({ replica: this.replica, counter, kind: 'add', value: v }));
    return this;
  }

  /**
   * Removes `value`; returns whether it was a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  delete(value: T): boolean {
    const v = this.element(value);
    if (!this.showKey(v)) return false;
    this.replaceLocal(this.entriesOf(v), (counter) => ({ replica: this.replica, counter, kind: 'remove', value: v }));
    return true;
  }
}
