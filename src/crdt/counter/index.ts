/**
 * Counters: `GCounter` (grow-only) and `PNCounter` (increments and decrements).
 *
 * Each replica owns one entry `(p, n)`: the sum of its increments and of its decrements.
 * Merge keeps, per replica, the entry with the larger `p + n`; since a replica's entry
 * only grows, that is a join. The version of a replica is its `p + n`.
 * Layout: `FORMAT.md` section 4.2.
 */
import {
  DecodeError,
  ReplicaTableReader,
  ReplicaTableWriter,
  expectObject,
  expectUint,
  type DecodeLimits,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import { VersionVector } from '../clock/index.js';
import { ReplicatedBase, type ChangeEvent, type Model, type ReplicatedOptions } from '../replicated.js';
import { TAG } from '../tags.js';
import { mapObjects, replicaFromJSON } from '../wire.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** One replica's share of a counter. */
interface CounterEntry {
  readonly replica: string;
  /** Sum of the replica's increments. */
  readonly p: number;
  /** Sum of the replica's decrements (always 0 in a GCounter). */
  readonly n: number;
}

/** Payload model: entries sorted by replica. */
interface CounterModel extends Model {
  readonly entries: readonly CounterEntry[];
}

/** Emitted when a counter changes. */
export interface CounterChange extends ChangeEvent {
  /** How much the value moved (may be 0 when a remote update carried +k and −k). */
  readonly delta: number;
}

function counterCodec(tag: number, name: string, signed: boolean): PayloadCodec<CounterModel> {
  return {
    tag,
    name,
    write(w: Writer, model: CounterModel): void {
      const table = new ReplicaTableWriter();
      for (const e of model.entries) table.add(e.replica);
      table.write(w);
      for (const e of model.entries) {
        w.uint(e.p);
        if (signed) w.uint(e.n);
      }
    },
    read(r: Reader): CounterModel {
      const table = new ReplicaTableReader(r);
      const entries: CounterEntry[] = new Array(table.ids.length);
      for (let i = 0; i < table.ids.length; i++) {
        table.use(i);
        const p = r.uint();
        const n = signed ? r.uint() : 0;
        if (p + n === 0) throw r.error('non-canonical', 'an entry with p = n = 0 is never written');
        if (p + n > MAX) throw r.error('invalid-value', "a replica's p + n exceeds 2^53 - 1");
        entries[i] = { replica: table.ids[i]!, p, n };
      }
      return { entries };
    },
    toJSON(model: CounterModel): unknown {
      return { entries: model.entries.map((e) => (signed ? { replica: e.replica, p: e.p, n: e.n } : { replica: e.replica, p: e.p })) };
    },
    fromJSON(json: unknown, limits: DecodeLimits): CounterModel {
      const fields = signed ? ['replica', 'p', 'n'] : ['replica', 'p'];
      const entries = mapObjects(expectObject(json, 'payload', ['entries']).entries, 'payload.entries', limits, fields, (e, path) => ({
        replica: replicaFromJSON(e.replica, `${path}.replica`),
        p: expectUint(e.p, `${path}.p`),
        n: signed ? expectUint(e.n, `${path}.n`) : 0,
      }));
      // The binary form names an entry's replica only by its position in the sorted table,
      // so an unsorted list would hand counts to the wrong replicas.
      for (let i = 1; i < entries.length; i++) {
        if (!(entries[i - 1]!.replica < entries[i]!.replica)) {
          throw new DecodeError('non-canonical', 'payload.entries must be sorted by replica, each replica once');
        }
      }
      return { entries };
    },
  };
}

/** Payload codec of `GCounter` frames. */
export const gcounterCodec = counterCodec(TAG.GCounter, 'gcounter', false);
/** Payload codec of `PNCounter` frames. */
export const pncounterCodec = counterCodec(TAG.PNCounter, 'pncounter', true);

/** The amount argument of increment/decrement: a safe integer ≥ 0. */
function amount(n: unknown, method: string): number {
  if (typeof n !== 'number') throw new TypeError(`${method}(n): n must be a number, got ${typeof n}`);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${method}(n): n must be a safe integer ≥ 0, got ${n}`);
  }
  return n;
}

/** State and merge shared by both counters. */
abstract class CounterBase extends ReplicatedBase<CounterModel, CounterChange> {
  private readonly entries = new Map<string, CounterEntry>();
  private readonly vv = new VersionVector();
  private positive = 0;
  private negative = 0;

  protected get clock(): VersionVector {
    return this.vv;
  }

  /** The counter's value: the sum of every replica's increments minus its decrements. */
  get value(): number {
    return this.positive - this.negative;
  }

  protected change(p: number, n: number, method: string): this {
    if (p === 0 && n === 0) return this;
    const own = this.entries.get(this.replica);
    const ownP = own?.p ?? 0;
    const ownN = own?.n ?? 0;
    if (this.positive + p > MAX || this.negative + n > MAX || ownP + ownN + p + n > MAX) {
      throw new RangeError(`${method}: the counter would leave the safe integer range`);
    }
    this.entries.set(this.replica, { replica: this.replica, p: ownP + p, n: ownN + n });
    this.positive += p;
    this.negative += n;
    this.vv.observe(this.replica, ownP + ownN + p + n);
    this.emit({ origin: 'local', delta: p - n });
    return this;
  }

  protected claims(model: CounterModel): number {
    for (const e of model.entries) if (e.replica === this.replica) return e.p + e.n;
    return 0;
  }

  protected snapshot(since: VersionVector | undefined): CounterModel {
    const entries: CounterEntry[] = [];
    for (const e of this.entries.values()) {
      if (since === undefined || e.p + e.n > since.get(e.replica)) entries.push(e);
    }
    entries.sort((a, b) => (a.replica < b.replica ? -1 : 1));
    return { entries };
  }

  protected merge(model: CounterModel): CounterChange | undefined {
    let positive = this.positive;
    let negative = this.negative;
    const updates: CounterEntry[] = [];
    for (const e of model.entries) {
      const cur = this.entries.get(e.replica);
      const curP = cur?.p ?? 0;
      const curN = cur?.n ?? 0;
      const sum = e.p + e.n;
      const curSum = curP + curN;
      const dominates = e.p >= curP && e.n >= curN;
      const dominated = e.p <= curP && e.n <= curN;
      if (sum > curSum ? !dominates : sum < curSum ? !dominated : !(dominates && dominated)) {
        throw new DecodeError('invalid-value', `replica ${e.replica}'s counts contradict this replica's: they only ever grow`);
      }
      if (sum > curSum) {
        positive += e.p - curP;
        negative += e.n - curN;
        updates.push(e);
      }
    }
    if (positive > MAX || negative > MAX) {
      throw new DecodeError('invalid-value', 'merging would take the counter outside the safe integer range');
    }
    if (updates.length === 0) return undefined;
    for (const e of updates) {
      this.entries.set(e.replica, e);
      this.vv.observe(e.replica, e.p + e.n);
    }
    const delta = positive - negative - this.value;
    this.positive = positive;
    this.negative = negative;
    return { origin: 'remote', delta };
  }
}

/**
 * A grow-only counter. Values are safe integers: increments that would take it past
 * 2^53 − 1 are refused, locally with a RangeError and on receive with a DecodeError,
 * since floating-point sums beyond it are not exact.
 *
 * @example
 * const views = new GCounter({ replica: 'alice' });
 * views.increment(); views.increment(5); views.value // 6
 */
export class GCounter extends CounterBase {
  constructor(options: ReplicatedOptions) {
    super(options, gcounterCodec);
  }

  /**
   * Adds `n` (default 1). `increment(0)` is a no-op.
   * @throws {TypeError} when `n` is not a number; {@link RangeError} when it is negative,
   *   fractional, unsafe, or would take the value past 2^53 − 1.
   */
  increment(n: number = 1): this {
    return this.change(amount(n, 'increment'), 0, 'increment');
  }
}

/**
 * A counter that goes up and down: one grow-only count of increments and one of
 * decrements per replica. Values are safe integers (see {@link GCounter}).
 *
 * @example
 * const stock = new PNCounter({ replica: 'alice' });
 * stock.increment(10); stock.decrement(3); stock.value // 7
 */
export class PNCounter extends CounterBase {
  constructor(options: ReplicatedOptions) {
    super(options, pncounterCodec);
  }

  /**
   * Adds `n` (default 1); `increment(0)` is a no-op.
   * @throws {TypeError} when `n` is not a number; {@link RangeError} when it is negative
   *   (use {@link PNCounter.decrement}), fractional or unsafe, or the result would be.
   */
  increment(n: number = 1): this {
    return this.change(amount(n, 'increment'), 0, 'increment');
  }

  /**
   * Subtracts `n` (default 1); `decrement(0)` is a no-op.
   * @throws {TypeError} / {@link RangeError} as {@link PNCounter.increment}.
   */
  decrement(n: number = 1): this {
    return this.change(0, amount(n, 'decrement'), 'decrement');
  }
}
