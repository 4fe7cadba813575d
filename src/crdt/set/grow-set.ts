import {
  DecodeError,
  ReplicaTableReader,
  ReplicaTableWriter,
  ValueMap,
  expectObject,
  ingestValue,
  readValue,
  valueFromJSON,
  writeValue,
  type DecodeLimits,
  type JsonValue,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import { VersionVector, compareDots, type Dot } from '../clock/index.js';
import { ReplicatedBase, type ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import {
  addVersionReplicas,
  deltaBase,
  dotFromJSON,
  mapObjects,
  readBase,
  readGroups,
  readVersion,
  versionFromJSON,
  writeGroups,
  writeVersion,
} from '../wire.js';
import { sortValues, type SetChange } from './shared.js';

/** An element with the dot of its earliest known add (or removal). */
interface Member extends Dot {
  readonly value: JsonValue;
}

/** Payload model of `GSet` and `TwoPhaseSet` (`FORMAT.md` 4.5); lists sorted by dot. */
interface GrowSetModel {
  readonly version: VersionVector;
  readonly base: VersionVector;
  readonly added: readonly Member[];
  readonly removed: readonly Member[];
}

function growSetCodec(tag: number, name: string, twoPhase: boolean): PayloadCodec<GrowSetModel> {
  const writeMember = (w: Writer, m: Member) => writeValue(w, m.value);
  return {
    tag,
    name,
    write(w: Writer, model: GrowSetModel): void {
      const table = new ReplicaTableWriter();
      addVersionReplicas(table, model.version);
      table.write(w);
      writeVersion(w, table, model.version);
      writeVersion(w, table, model.base);
      writeGroups(w, table, model.added, writeMember);
      if (twoPhase) writeGroups(w, table, model.removed, writeMember);
    },
    read(r: Reader): GrowSetModel {
      const table = new ReplicaTableReader(r);
      const version = readVersion(r, table);
      const base = readBase(r, table, version);
      // Elements are unique in a frame; `merge` checks it, where it costs no extra table.
      const readMember = (r: Reader, replica: string, counter: number): Member => ({ replica, counter, value: readValue(r) });
      const added = readGroups(r, table, version, base, readMember);
      const removed = twoPhase ? readGroups(r, table, version, base, readMember) : [];
      // Both lists are sorted by dot: one walk finds a dot that both claim.
      for (let i = 0, j = 0; i < added.length && j < removed.length; ) {
        const order = compareDots(added[i]!, removed[j]!);
        if (order === 0) throw r.error('invalid-value', 'an add and a removal claim the same event');
        if (order < 0) i++;
        else j++;
      }
      table.finish(r);
      return { version, base, added, removed };
    },
    toJSON(model: GrowSetModel): unknown {
      const members = (list: readonly Member[]) => list.map((m) => ({ replica: m.replica, counter: m.counter, value: m.value }));
      const out: Record<string, unknown> = {
        version: model.version.toJSON(),
        base: model.base.toJSON(),
        added: members(model.added),
      };
      if (twoPhase) out.removed = members(model.removed);
      return out;
    },
    fromJSON(json: unknown, limits: DecodeLimits): GrowSetModel {
      const o = expectObject(json, 'payload', twoPhase ? ['version', 'base', 'added', 'removed'] : ['version', 'base', 'added']);
      const members = (list: unknown, path: string) =>
        mapObjects(list, path, limits, ['replica', 'counter', 'value'], (m, p) => ({ ...dotFromJSON(m, p), value: valueFromJSON(m.value, limits) }));
      return {
        version: versionFromJSON(o.version, 'payload.version', limits),
        base: versionFromJSON(o.base, 'payload.base', limits),
        added: members(o.added, 'payload.added'),
        removed: twoPhase ? members(o.removed, 'payload.removed') : [],
      };
    },
  };
}

/** Payload codec of `GSet` frames. */
export const gsetCodec = growSetCodec(TAG.GSet, 'gset', false);
/** Payload codec of `TwoPhaseSet` frames. */
export const twoPhaseSetCodec = growSetCodec(TAG.TwoPhaseSet, '2p-set', true);

function duplicateElement(): DecodeError {
  return new DecodeError('invalid-value', 'an element appears twice in one update');
}

/** Keeps, per element, the smaller dot: the same on every replica whatever the order. */
function keepEarliest(map: ValueMap<Member>, m: Member): 'added' | 'moved' | 'kept' {
  const current = map.get(m.value);
  if (current === undefined) {
    map.set(m.value, m);
    return 'added';
  }
  if (compareDots(m, current) < 0) {
    map.set(m.value, m);
    return 'moved';
  }
  return 'kept';
}

/** State and merge of grow-only sets: live members, and (two-phase) tombstones. */
abstract class GrowSetBase<T extends JsonValue> extends ReplicatedBase<GrowSetModel, SetChange<T>> {
  protected readonly vv = new VersionVector();
  protected readonly live = new ValueMap<Member>();
  protected readonly dead = new ValueMap<Member>();

  protected get clock(): VersionVector {
    return this.vv;
  }

  /** Number of members. */
  get size(): number {
    return this.live.size;
  }

  /** Whether `value` (compared by JSON content) is a member. */
  has(value: T): boolean {
    return this.live.get(ingestValue(value, 'element', this.limits)) !== undefined;
  }

  /** The members (frozen), in the order of their JSON text. */
  values(): T[] {
    return sortValues([...this.live.values()].map((m) => m.value as T));
  }

  protected ingest(value: T): JsonValue {
    return ingestValue(value, 'element', this.limits);
  }

  protected addLocal(v: JsonValue): void {
    this.live.set(v, { replica: this.replica, counter: this.vv.next(this.replica), value: v });
    this.emit({ origin: 'local', added: [v as T], removed: [] });
  }

  protected claims(model: GrowSetModel): number {
    return model.version.get(this.replica);
  }

  protected snapshot(since: VersionVector | undefined): GrowSetModel {
    const base = deltaBase(since, this.vv);
    const pick = (map: ValueMap<Member>) => {
      const out: Member[] = [];
      for (const m of map.values()) if (!base.contains(m)) out.push(m);
      return out.sort(compareDots);
    };
    return { version: this.vv.clone(), base, added: pick(this.live), removed: pick(this.dead) };
  }

  /**
   * Merges into a replica that has seen nothing: there is nothing to look up or
   * contradict. An element named twice shows as a map that did not grow, and clearing
   * undoes the partial merge, since there was nothing before it.
   */
  private load(model: GrowSetModel): SetChange<T> | undefined {
    const fail = (): never => {
      this.live.clear();
      this.dead.clear();
      throw duplicateElement();
    };
    for (const m of model.removed) {
      const size = this.dead.size;
      this.dead.set(m.value, m);
      if (this.dead.size === size) fail();
    }
    const added: T[] = [];
    for (const m of model.added) {
      const size = this.live.size;
      this.live.set(m.value, m);
      if (this.live.size === size || this.dead.get(m.value) !== undefined) fail();
      added.push(m.value as T);
    }
    const advanced = this.vv.merge(model.version);
    return added.length > 0 || model.removed.length > 0 || advanced ? { origin: 'remote', added, removed: [] } : undefined;
  }

  /**
   * Refuses entries that contradict this replica's history: an event it has already seen
   * must have added (or removed) the element the frame says, with that dot or an earlier
   * one. Only a faulty peer sends such a frame; taking it would give two elements one dot.
   */
  private checkHistory(model: GrowSetModel): void {
    if (this.vv.size === 0) return;
    for (const m of model.added) {
      if (!this.vv.contains(m)) continue;
      const live = this.live.get(m.value);
      if (this.dead.get(m.value) === undefined && (live === undefined || compareDots(live, m) > 0)) {
        throw new DecodeError('invalid-value', `event (${m.replica}, ${m.counter}) added another element here`);
      }
    }
    for (const m of model.removed) {
      if (!this.vv.contains(m)) continue;
      const dead = this.dead.get(m.value);
      if (dead === undefined || compareDots(dead, m) > 0) {
        throw new DecodeError('invalid-value', `event (${m.replica}, ${m.counter}) removed another element here`);
      }
    }
  }

  protected override checkHeld(model: GrowSetModel): void {
    const distinct = new ValueMap<true>();
    for (const list of [model.removed, model.added]) {
      for (const m of list) {
        const size = distinct.size;
        distinct.set(m.value, true);
        if (distinct.size === size) throw duplicateElement();
      }
    }
  }

  protected merge(model: GrowSetModel): SetChange<T> | undefined {
    if (this.vv.size === 0) return this.load(model);
    this.checkHeld(model);
    this.checkHistory(model);
    const added: T[] = [];
    const removed: T[] = [];
    let changed = false;
    for (const m of model.removed) {
      const outcome = keepEarliest(this.dead, m);
      if (outcome === 'kept') continue;
      changed = true;
      if (outcome === 'added' && this.live.delete(m.value)) removed.push(m.value as T);
    }
    for (const m of model.added) {
      if (this.dead.get(m.value) !== undefined) continue;
      const outcome = keepEarliest(this.live, m);
      if (outcome === 'added') added.push(m.value as T);
      if (outcome !== 'kept') changed = true;
    }
    if (this.vv.merge(model.version)) changed = true;
    return changed ? { origin: 'remote', added, removed } : undefined;
  }
}

/**
 * A grow-only set of JSON values: elements can be added, never removed. Elements compare
 * by JSON content (`{a: 1, b: 2}` equals `{b: 2, a: 1}`); adding a member is a no-op.
 *
 * @example
 * const tags = new GSet<string>({ replica: 'alice' });
 * tags.add('urgent'); tags.has('urgent') // true
 */
export class GSet<T extends JsonValue = JsonValue> extends GrowSetBase<T> {
  constructor(options: ReplicatedOptions) {
    super(options, gsetCodec);
  }

  /**
   * Adds `value`.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  add(value: T): this {
    const v = this.ingest(value);
    if (this.live.get(v) === undefined) this.addLocal(v);
    return this;
  }
}

/**
 * A two-phase set: an element can be added and then removed, and once removed it can
 * never be added again (a removal wins over every add, earlier or concurrent). Removed
 * elements are kept as tombstones, which is what makes the removal final.
 *
 * @example
 * const invited = new TwoPhaseSet<string>({ replica: 'alice' });
 * invited.add('bob'); invited.delete('bob'); invited.add('bob') // throws RangeError
 */
export class TwoPhaseSet<T extends JsonValue = JsonValue> extends GrowSetBase<T> {
  constructor(options: ReplicatedOptions) {
    super(options, twoPhaseSetCodec);
  }

  /**
   * Adds `value`; a no-op when it is a member.
   * @throws {RangeError} when `value` was removed: a TwoPhaseSet never re-adds.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  add(value: T): this {
    const v = this.ingest(value);
    if (this.dead.get(v) !== undefined) {
      throw new RangeError('this element was removed, and a TwoPhaseSet never adds a removed element again');
    }
    if (this.live.get(v) === undefined) this.addLocal(v);
    return this;
  }

  /**
   * Removes `value` for good; returns whether it was a member.
   * @throws {TypeError} / {@link RangeError} when `value` is not JSON.
   */
  delete(value: T): boolean {
    const v = this.ingest(value);
    if (!this.live.delete(v)) return false;
    this.dead.set(v, { replica: this.replica, counter: this.vv.next(this.replica), value: v });
    this.emit({ origin: 'local', added: [], removed: [v as T] });
    return true;
  }

  /** Whether `value` was removed (and so can never be added again). */
  wasRemoved(value: T): boolean {
    return this.dead.get(this.ingest(value)) !== undefined;
  }
}
