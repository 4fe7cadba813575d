/**
 * Binary and JSON forms of sequence updates (`FORMAT.md` section 4.8): the runs by
 * replica and counter as columns (replicas run-length coded, counters delta-coded,
 * origins mostly implied by the run before, visibility run-length coded, then the visible
 * content in one piece), then the deletions.
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
import { addVersionReplicas, mapObjects, readBase, readVersion, replicaFromJSON, versionFromJSON, writeVersion } from '../wire.js';
import type { DeletionRecord, ItemId, RangeRecord, RunRecord, SequenceModel } from './model.js';

/** How a kind of sequence writes its items. */
export interface ContentCodec<C> {
  /** Number of items. */
  measure(content: C): number;
  /** Items `start .. end − 1`. */
  cut(content: C, start: number, end: number): C;
  /** Writes the visible runs' items, in order, as one piece. */
  write(w: Writer, parts: readonly C[]): void;
  /** Reads the piece `write` wrote, which must hold `count` items. */
  read(r: Reader, count: number): C;
  /** Whether a run's items may start or end where they do (text: not inside a surrogate pair). */
  whole(content: C): boolean;
  toJSON(content: C): unknown;
  fromJSON(json: unknown, path: string, limits: DecodeLimits): C;
}

// A record's code byte: bits 0-1 the left origin, bits 2-3 the right origin, bits 4-5
// its visibility (FORMAT.md section 4.8).
/** No origin: the start of the document (left) or its end (right). */
const ORIGIN_NONE = 0;
/** An item of the record's own replica, as a counter difference. */
const ORIGIN_OWN = 1;
/** An item of another replica: a replica ref and a counter. */
const ORIGIN_OTHER = 2;
/** Right origin only: the item after the left origin in the same replica's counters. */
const ORIGIN_FOLLOWS = 3;
const VISIBILITY_VISIBLE = 0;
const VISIBILITY_DELETED = 1;
const VISIBILITY_MIXED = 2;
const VISIBILITY_UNUSED = 3;

/** A run as the decoder makes it: a class, so that every run has one shape and is cheap to make. */
class Run<C> implements RunRecord<C> {
  readonly replica: string;
  readonly counter: number;
  readonly length: number;
  readonly leftReplica: string | undefined;
  readonly leftCounter: number;
  readonly rightReplica: string | undefined;
  readonly rightCounter: number;
  readonly deleted: boolean;
  /** Filled in once the content column is read. */
  content: C | undefined;
  constructor(
    replica: string,
    counter: number,
    length: number,
    leftReplica: string | undefined,
    leftCounter: number,
    rightReplica: string | undefined,
    rightCounter: number,
    deleted: boolean,
    content: C | undefined,
  ) {
    this.replica = replica;
    this.counter = counter;
    this.length = length;
    this.leftReplica = leftReplica;
    this.leftCounter = leftCounter;
    this.rightReplica = rightReplica;
    this.rightCounter = rightCounter;
    this.deleted = deleted;
    this.content = content;
  }
}

/** Whether two runs share their right origin. */
function sameRight(a: RunRecord<unknown>, b: RunRecord<unknown>): boolean {
  return a.rightReplica === b.rightReplica && (a.rightReplica === undefined || a.rightCounter === b.rightCounter);
}

/** Whether a run's right origin is the item after its left origin. */
function followsLeft(run: RunRecord<unknown>): boolean {
  return run.leftReplica !== undefined && run.rightReplica === run.leftReplica && run.rightCounter === run.leftCounter + 1;
}

/** Whether a run's left origin is the item before its first one (it continues the run before). */
function leftIsPrevious(run: RunRecord<unknown>): boolean {
  return run.leftReplica === run.replica && run.leftCounter === run.counter - 1;
}

/** Consecutive runs of one replica that continue each other, written as one record. */
interface Chain<C> {
  readonly first: RunRecord<C>;
  readonly parts: RunRecord<C>[];
  length: number;
}

/** Groups runs (sorted by replica, then counter) into records. */
function chain<C>(runs: readonly RunRecord<C>[]): Chain<C>[] {
  const out: Chain<C>[] = [];
  let last: Chain<C> | undefined;
  for (const run of runs) {
    const prev = last?.parts[last.parts.length - 1];
    if (
      last !== undefined &&
      prev !== undefined &&
      prev.replica === run.replica &&
      prev.counter + prev.length === run.counter &&
      leftIsPrevious(run) &&
      sameRight(prev, run)
    ) {
      if (prev.deleted === run.deleted) {
        throw new DecodeError('non-canonical', `run (${run.replica}, ${run.counter}) continues the previous one in the same state and is listed as part of it`);
      }
      last.parts.push(run);
      last.length += run.length;
      continue;
    }
    last = { first: run, parts: [run], length: run.length };
    out.push(last);
  }
  return out;
}

function recordCode<C>(rec: Chain<C>): number {
  const run = rec.first;
  const leftCode = run.leftReplica === undefined ? ORIGIN_NONE : run.leftReplica === run.replica ? ORIGIN_OWN : ORIGIN_OTHER;
  const rightCode =
    run.rightReplica === undefined ? ORIGIN_NONE : followsLeft(run) ? ORIGIN_FOLLOWS : run.rightReplica === run.replica ? ORIGIN_OWN : ORIGIN_OTHER;
  const visibility = rec.parts.length > 1 ? VISIBILITY_MIXED : run.deleted ? VISIBILITY_DELETED : VISIBILITY_VISIBLE;
  return leftCode | (rightCode << 2) | (visibility << 4);
}

/** Writes a column of replica refs as (ref, repeat) pairs. */
function writeReplicas(w: Writer, table: ReplicaTableWriter, replicas: readonly string[]): void {
  let i = 0;
  while (i < replicas.length) {
    let j = i + 1;
    while (j < replicas.length && replicas[j] === replicas[i]) j++;
    table.ref(w, replicas[i]!);
    w.uint(j - i);
    i = j;
  }
}

function readReplicas(r: Reader, table: ReplicaTableReader, n: number): string[] {
  const out: string[] = new Array(n);
  let i = 0;
  while (i < n) {
    const replica = table.ref(r);
    const repeat = r.uint();
    if (repeat === 0 || repeat > n - i) throw r.error('invalid-value', `a replica column repeat of ${repeat} does not fit ${n - i} remaining rows`);
    if (i > 0 && out[i - 1] === replica) throw r.error('non-canonical', 'a replica column repeats a replica in two pairs');
    for (let k = 0; k < repeat; k++) out[i++] = replica;
  }
  return out;
}

/** Counters delta-coded against where the same replica's previous row ended. */
class CounterColumn {
  private readonly next = new Map<string, number>();
  constructor(private readonly base: VersionVector) {}
  expected(replica: string): number {
    return this.next.get(replica) ?? this.base.get(replica) + 1;
  }
  ended(replica: string, end: number): void {
    this.next.set(replica, end);
  }
}

/**
 * Checks what a frame says about each replica's events: with exact deletions, runs and
 * deletions tile (base, version] with no gap or overlap; otherwise runs lie in it and do
 * not overlap.
 */
function checkEvents(model: SequenceModel<unknown>, fail: (code: 'invalid-value' | 'non-canonical', message: string) => DecodeError): void {
  const r = { error: fail };
  // Runs, deletions and deleted ranges are each listed by replica id, then counter.
  const sorted = (list: readonly { replica: string; counter: number }[], what: string): void => {
    for (let k = 1; k < list.length; k++) {
      const a = list[k - 1]!;
      const b = list[k]!;
      if (a.replica > b.replica || (a.replica === b.replica && a.counter >= b.counter)) {
        throw fail('non-canonical', `${what} are listed by replica id, then counter: (${b.replica}, ${b.counter}) comes after (${a.replica}, ${a.counter})`);
      }
    }
  };
  sorted(model.runs, 'runs');
  sorted(model.deletions, 'deletions');
  sorted(model.deleted, 'deleted ranges');
  // Walk each replica's runs and deletions together, in counter order.
  const { runs, deletions, base, version, exact } = model;
  const listed = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < runs.length || j < deletions.length) {
    const replica =
      j >= deletions.length || (i < runs.length && runs[i]!.replica <= deletions[j]!.replica) ? runs[i]!.replica : deletions[j]!.replica;
    listed.add(replica);
    let next = base.get(replica) + 1;
    const top = version.get(replica);
    for (;;) {
      const run = i < runs.length && runs[i]!.replica === replica ? runs[i] : undefined;
      const deletion = j < deletions.length && deletions[j]!.replica === replica ? deletions[j] : undefined;
      if (run === undefined && deletion === undefined) break;
      const entry = deletion === undefined || (run !== undefined && run.counter < deletion.counter) ? run! : deletion;
      if (entry === run) i++;
      else j++;
      const { counter, length } = entry;
      if (counter <= base.get(replica) || counter + length - 1 > top) {
        throw r.error('invalid-value', `events (${replica}, ${counter}..${counter + length - 1}) lie outside the frame's base and version`);
      }
      if (counter < next) throw r.error('invalid-value', `events of ${replica} from ${counter} are listed twice`);
      if (exact && counter > next) throw r.error('invalid-value', `events (${replica}, ${next}..${counter - 1}) are missing`);
      next = counter + length;
    }
    if (exact && next !== top + 1) throw r.error('invalid-value', `events (${replica}, ${next}..${top}) are missing`);
  }
  if (exact) {
    for (const [replica, counter] of version.entries()) {
      if (counter > base.get(replica) && !listed.has(replica)) {
        throw r.error('invalid-value', `events of ${replica} above the base are missing`);
      }
    }
  }
  const checkTarget = (replica: string, counter: number, length: number, what: string): void => {
    if (counter < 1 || counter + length - 1 > model.version.get(replica)) {
      throw r.error('invalid-value', `${what} (${replica}, ${counter}..${counter + length - 1}) lie outside the frame's version`);
    }
  };
  for (const d of model.deletions) {
    checkTarget(d.target.replica, d.direction > 0 ? d.target.counter : d.target.counter - d.length + 1, d.length, 'deleted items');
  }
  for (const d of model.deleted) {
    checkTarget(d.replica, d.counter, d.length, 'deleted items');
    if (d.counter + d.length - 1 > model.base.get(d.replica)) {
      throw r.error('invalid-value', `deleted items (${d.replica}, ${d.counter}..) listed by item lie above the base`);
    }
  }
  for (const run of model.runs) {
    if (run.leftReplica !== undefined) checkTarget(run.leftReplica, run.leftCounter, 1, 'origins');
    if (run.rightReplica !== undefined) checkTarget(run.rightReplica, run.rightCounter, 1, 'origins');
  }
}

/** The payload codec of a kind of sequence. */
export function sequenceCodec<C>(tag: number, name: string, items: ContentCodec<C>): PayloadCodec<SequenceModel<C>> {
  return {
    tag,
    name,
    write(w: Writer, model: SequenceModel<C>): void {
      const table = new ReplicaTableWriter();
      addVersionReplicas(table, model.version);
      table.write(w);
      writeVersion(w, table, model.version);
      writeVersion(w, table, model.base);
      w.u8(model.exact ? 1 : 0);

      const records = chain(model.runs);
      w.uint(records.length);
      writeReplicas(w, table, records.map((rec) => rec.first.replica));
      for (const rec of records) w.uint(rec.length);
      const counters = new CounterColumn(model.base);
      for (const rec of records) {
        w.uint(rec.first.counter - counters.expected(rec.first.replica));
        counters.ended(rec.first.replica, rec.first.counter + rec.length);
      }
      for (const rec of records) w.u8(recordCode(rec));
      for (const rec of records) {
        const { replica, counter, leftReplica, leftCounter } = rec.first;
        if (leftReplica === undefined) continue;
        if (leftReplica === replica) w.sint(counter - leftCounter);
        else {
          table.ref(w, leftReplica);
          w.uint(leftCounter);
        }
      }
      for (const rec of records) {
        const { replica, counter, rightReplica, rightCounter } = rec.first;
        if (rightReplica === undefined || followsLeft(rec.first)) continue;
        if (rightReplica === replica) w.sint(rightCounter - counter);
        else {
          table.ref(w, rightReplica);
          w.uint(rightCounter);
        }
      }
      for (const rec of records) {
        if (rec.parts.length === 1) continue;
        w.uint(rec.parts.length);
        if (!rec.parts[0]!.deleted) w.uint(rec.parts[0]!.length);
        else w.uint(0);
        for (let k = rec.parts[0]!.deleted ? 0 : 1; k < rec.parts.length - 1; k++) w.uint(rec.parts[k]!.length);
      }
      items.write(
        w,
        model.runs.filter((run) => !run.deleted).map((run) => run.content!),
      );

      if (model.exact) {
        const ds = model.deletions;
        w.uint(ds.length);
        writeReplicas(w, table, ds.map((d) => d.replica));
        const column = new CounterColumn(model.base);
        let target = 0;
        for (const d of ds) {
          w.sint(d.counter - column.expected(d.replica));
          column.ended(d.replica, d.counter + d.length);
          w.sint(d.length * d.direction);
          table.ref(w, d.target.replica);
          w.sint(d.target.counter - target);
          target = d.target.counter + (d.length - 1) * d.direction;
        }
      } else {
        const ds = model.deleted;
        w.uint(ds.length);
        writeReplicas(w, table, ds.map((d) => d.replica));
        let previous = 0;
        let replica = '';
        for (const d of ds) {
          if (d.replica !== replica) previous = 0;
          replica = d.replica;
          w.uint(d.counter - previous);
          w.uint(d.length);
          previous = d.counter + d.length;
        }
      }
    },

    read(r: Reader): SequenceModel<C> {
      const table = new ReplicaTableReader(r);
      const version = readVersion(r, table);
      const base = readBase(r, table, version);
      const flag = r.u8();
      if (flag > 1) throw r.error('invalid-value', `the exact-deletions flag is 0 or 1, got ${flag}`);
      const exact = flag === 1;
      if (exact && base.size === 0) throw r.error('non-canonical', 'a whole state lists deletions by item');

      // A record takes at least a length, a counter and a code byte.
      const n = r.count(3);
      const replicas = readReplicas(r, table, n);
      // Numeric columns are typed arrays: no per-element boxing, and nothing for the GC to scan.
      const lengths = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        lengths[k] = r.uint();
        if (lengths[k] === 0) throw r.error('invalid-value', 'a run holds at least one item');
      }
      const counters = new CounterColumn(base);
      const starts = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const replica = replicas[k]!;
        const start = counters.expected(replica) + r.uint();
        if (start + lengths[k]! - 1 > Number.MAX_SAFE_INTEGER) throw r.error('invalid-value', 'run counters pass 2^53 − 1');
        starts[k] = start;
        counters.ended(replica, start + lengths[k]!);
      }
      const codes = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        const code = r.u8();
        if (code >> 6 !== 0 || (code >> 4) === VISIBILITY_UNUSED) throw r.error('invalid-value', `run code ${code} is not defined`);
        codes[k] = code;
      }
      const leftReplicas: (string | undefined)[] = new Array(n);
      const leftCounters = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const c = codes[k]! & 3;
        if (c === ORIGIN_NONE) continue;
        if (c === ORIGIN_OWN) {
          leftReplicas[k] = replicas[k]!;
          leftCounters[k] = starts[k]! - r.sint();
        } else if (c === ORIGIN_OTHER) {
          const replica = table.ref(r);
          if (replica === replicas[k]) throw r.error('non-canonical', "an origin of the run's own replica is written as such");
          leftReplicas[k] = replica;
          leftCounters[k] = r.uint();
        } else throw r.error('invalid-value', 'left origin code 3 is not defined');
      }
      const rightReplicas: (string | undefined)[] = new Array(n);
      const rightCounters = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        const c = (codes[k]! >> 2) & 3;
        if (c === ORIGIN_NONE) continue;
        const leftReplica = leftReplicas[k];
        if (c === ORIGIN_FOLLOWS) {
          if (leftReplica === undefined) throw r.error('invalid-value', 'a right origin cannot follow a missing left origin');
          rightReplicas[k] = leftReplica;
          rightCounters[k] = leftCounters[k]! + 1;
          continue;
        }
        let replica: string;
        let counter: number;
        if (c === ORIGIN_OWN) {
          replica = replicas[k]!;
          counter = starts[k]! + r.sint();
        } else {
          replica = table.ref(r);
          if (replica === replicas[k]) throw r.error('non-canonical', "an origin of the run's own replica is written as such");
          counter = r.uint();
        }
        if (leftReplica === replica && leftCounters[k]! + 1 === counter) {
          throw r.error('non-canonical', 'a right origin that follows the left one is written as such');
        }
        rightReplicas[k] = replica;
        rightCounters[k] = counter;
      }
      const runs: Run<C>[] = [];
      const visible: number[] = [];
      let total = 0;
      for (let k = 0; k < n; k++) {
        const replica = replicas[k]!;
        const start = starts[k]!;
        const len = lengths[k]!;
        if (
          k > 0 &&
          replicas[k - 1] === replica &&
          starts[k - 1]! + lengths[k - 1]! === start &&
          leftReplicas[k] === replica &&
          leftCounters[k] === start - 1 &&
          rightReplicas[k - 1] === rightReplicas[k] &&
          rightCounters[k - 1] === rightCounters[k]
        ) {
          throw r.error('non-canonical', `run (${replica}, ${start}) continues the previous run and is written as part of it`);
        }
        // The stretches of the run: alternately visible and deleted, from the first one.
        const visibility = codes[k]! >> 4;
        if (visibility !== VISIBILITY_MIXED) {
          const deleted = visibility === VISIBILITY_DELETED;
          runs.push(new Run<C>(replica, start, len, leftReplicas[k], leftCounters[k]!, rightReplicas[k], rightCounters[k]!, deleted, undefined));
          if (!deleted) {
            visible.push(runs.length - 1);
            total += len;
          }
          continue;
        }
        let stretches: number[];
        let startsDeleted: boolean;
        if (visibility !== VISIBILITY_MIXED) {
          stretches = [len];
          startsDeleted = visibility === VISIBILITY_DELETED;
        } else {
          const count = r.count(1);
          if (count < 2) throw r.error('invalid-value', 'a run of mixed visibility has at least two stretches');
          const first = r.uint();
          startsDeleted = first === 0;
          stretches = startsDeleted ? [] : [first];
          let used = first;
          const listed = startsDeleted ? count : count - 1;
          for (let m = 0; m < listed - 1; m++) {
            const part = r.uint();
            if (part === 0) throw r.error('invalid-value', 'a stretch holds at least one item');
            stretches.push(part);
            used += part;
          }
          if (used >= len) throw r.error('invalid-value', `the stretches of run (${replica}, ${start}) pass its length ${len}`);
          stretches.push(len - used);
        }
        let counter = start;
        let deleted = startsDeleted;
        for (let m = 0; m < stretches.length; m++) {
          const length = stretches[m]!;
          runs.push(
            m === 0
              ? new Run<C>(replica, counter, length, leftReplicas[k], leftCounters[k]!, rightReplicas[k], rightCounters[k]!, deleted, undefined)
              : new Run<C>(replica, counter, length, replica, counter - 1, rightReplicas[k], rightCounters[k]!, deleted, undefined),
          );
          if (!deleted) {
            visible.push(runs.length - 1);
            total += length;
          }
          counter += length;
          deleted = !deleted;
        }
      }
      const content = items.read(r, total);
      let at = 0;
      for (const i of visible) {
        const run = runs[i]!;
        const part = visible.length === 1 ? content : items.cut(content, at, at + run.length);
        at += run.length;
        if (!items.whole(part)) throw r.error('invalid-value', `run (${run.replica}, ${run.counter}) starts or ends inside a character`);
        run.content = part;
      }

      const deletions: DeletionRecord[] = [];
      const deletedItems: RangeRecord[] = [];
      // A deletion record takes at least four bytes, a deleted range two.
      const m = r.count(exact ? 4 : 2);
      const dReplicas = readReplicas(r, table, m);
      if (exact) {
        const column = new CounterColumn(base);
        let target = 0;
        for (let k = 0; k < m; k++) {
          const replica = dReplicas[k]!;
          const counter = column.expected(replica) + r.sint();
          const signed = r.sint();
          if (signed === 0 || signed === -1) throw r.error(signed === 0 ? 'invalid-value' : 'non-canonical', 'a deletion run holds at least one event, and one event is written with direction 1');
          const length = Math.abs(signed);
          column.ended(replica, counter + length);
          const targetReplica = table.ref(r);
          const targetCounter = target + r.sint();
          const direction = signed > 0 ? 1 : -1;
          target = targetCounter + (length - 1) * direction;
          deletions.push({ replica, counter, length, target: { replica: targetReplica, counter: targetCounter }, direction });
        }
      } else {
        let previous = 0;
        let replica = '';
        for (let k = 0; k < m; k++) {
          if (dReplicas[k] !== replica) previous = 0;
          replica = dReplicas[k]!;
          const step = r.uint();
          if (step === 0) throw r.error('non-canonical', 'deleted item ranges are sorted, separate and start at 1');
          const counter = previous + step;
          const length = r.uint();
          if (length === 0) throw r.error('invalid-value', 'a deleted item range holds at least one item');
          previous = counter + length;
          deletedItems.push({ replica, counter, length });
        }
      }
      table.finish(r);
      const model: SequenceModel<C> = { version, base, exact, runs, deletions, deleted: deletedItems };
      checkEvents(model, (code, message) => r.error(code, message));
      return model;
    },

    toJSON(model: SequenceModel<C>): unknown {
      const id = (item: ItemId | undefined): unknown => (item === undefined ? null : { replica: item.replica, counter: item.counter });
      return {
        version: model.version.toJSON(),
        base: model.base.toJSON(),
        exact: model.exact,
        runs: model.runs.map((run) => ({
          replica: run.replica,
          counter: run.counter,
          length: run.length,
          left: run.leftReplica === undefined ? null : { replica: run.leftReplica, counter: run.leftCounter },
          right: run.rightReplica === undefined ? null : { replica: run.rightReplica, counter: run.rightCounter },
          ...(run.deleted ? { deleted: true } : { content: items.toJSON(run.content!) }),
        })),
        ...(model.exact
          ? { deletions: model.deletions.map((d) => ({ ...d, target: id(d.target) })) }
          : { deleted: model.deleted.map((d) => ({ ...d })) }),
      };
    },

    fromJSON(json: unknown, limits: DecodeLimits): SequenceModel<C> {
      const o = expectObject(json, 'payload', ['version', 'base', 'exact', 'runs', 'deletions', 'deleted']);
      if (typeof o.exact !== 'boolean') throw new DecodeError('invalid-value', 'payload.exact must be a boolean');
      const exact = o.exact;
      const itemId = (v: unknown, path: string): ItemId | undefined => {
        if (v === null) return undefined;
        const x = expectObject(v, path, ['replica', 'counter']);
        return { replica: replicaFromJSON(x.replica, `${path}.replica`), counter: expectUint(x.counter, `${path}.counter`, 1) };
      };
      const runs = mapObjects(o.runs, 'payload.runs', limits, ['replica', 'counter', 'length', 'left', 'right', 'deleted', 'content'], (x, path) => {
        if (x.deleted !== undefined && x.deleted !== true) throw new DecodeError('invalid-value', `${path}.deleted is true when present`);
        const deleted = x.deleted === true;
        if (deleted === (x.content !== undefined)) throw new DecodeError('invalid-value', `${path} has content exactly when it is not deleted`);
        const length = expectUint(x.length, `${path}.length`, 1);
        const content = deleted ? undefined : items.fromJSON(x.content, `${path}.content`, limits);
        if (content !== undefined && items.measure(content) !== length) {
          throw new DecodeError('invalid-value', `${path}.content holds ${items.measure(content)} items, not length ${length}`);
        }
        const left = itemId(x.left, `${path}.left`);
        const right = itemId(x.right, `${path}.right`);
        return new Run<C>(
          replicaFromJSON(x.replica, `${path}.replica`),
          expectUint(x.counter, `${path}.counter`, 1),
          length,
          left?.replica,
          left?.counter ?? 0,
          right?.replica,
          right?.counter ?? 0,
          deleted,
          content,
        );
      });
      if (exact ? o.deleted !== undefined : o.deletions !== undefined) {
        throw new DecodeError('invalid-value', `payload has ${exact ? 'deletions' : 'deleted'} exactly when exact is ${exact}`);
      }
      const deletions = exact
        ? mapObjects(o.deletions, 'payload.deletions', limits, ['replica', 'counter', 'length', 'target', 'direction'], (x, path) => {
            if (x.direction !== 1 && x.direction !== -1) throw new DecodeError('invalid-value', `${path}.direction must be 1 or -1`);
            const target = itemId(x.target, `${path}.target`);
            if (target === undefined) throw new DecodeError('invalid-value', `${path}.target must be an item`);
            return {
              replica: replicaFromJSON(x.replica, `${path}.replica`),
              counter: expectUint(x.counter, `${path}.counter`, 1),
              length: expectUint(x.length, `${path}.length`, 1),
              target,
              direction: x.direction as 1 | -1,
            };
          })
        : [];
      const deleted = exact
        ? []
        : mapObjects(o.deleted, 'payload.deleted', limits, ['replica', 'counter', 'length'], (x, path) => ({
            replica: replicaFromJSON(x.replica, `${path}.replica`),
            counter: expectUint(x.counter, `${path}.counter`, 1),
            length: expectUint(x.length, `${path}.length`, 1),
          }));
      const model: SequenceModel<C> = {
        version: versionFromJSON(o.version, 'payload.version', limits),
        base: versionFromJSON(o.base, 'payload.base', limits),
        exact,
        runs,
        deletions,
        deleted,
      };
      // The writer assumes these rules; check them first for the message that names them.
      checkEvents(model, (code, message) => new DecodeError(code, `payload: ${message}`));
      return model;
    },
  };
}
