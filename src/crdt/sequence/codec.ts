/**
 * Binary and JSON forms of sequence updates (`FORMAT.md` section 4.11): the runs in
 * document order as columns (replicas run-length coded, counters delta-coded, origins
 * mostly implied by the neighbouring runs, visibility run-length coded, then the visible
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

const ORIGIN_NONE = 0;
/** Left origin: the previous run's last item; right origin: the next run's first item. */
const ORIGIN_NEIGHBOUR = 1;
const ORIGIN_EXPLICIT = 2;

function sameItem(a: ItemId | undefined, replica: string, counter: number): boolean {
  return a !== undefined && a.replica === replica && a.counter === counter;
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
function checkEvents(r: Reader, model: SequenceModel<unknown>): void {
  const spans = new Map<string, [number, number][]>();
  const add = (replica: string, counter: number, length: number): void => {
    if (counter <= model.base.get(replica) || counter + length - 1 > model.version.get(replica)) {
      throw r.error('invalid-value', `events (${replica}, ${counter}..${counter + length - 1}) lie outside the frame's base and version`);
    }
    let list = spans.get(replica);
    if (list === undefined) spans.set(replica, (list = []));
    list.push([counter, length]);
  };
  for (const run of model.runs) add(run.replica, run.counter, run.length);
  for (const d of model.deletions) add(d.replica, d.counter, d.length);
  for (const [replica, list] of spans) {
    list.sort((a, b) => a[0] - b[0]);
    let next = model.base.get(replica) + 1;
    for (const [counter, length] of list) {
      if (counter < next) throw r.error('invalid-value', `events of ${replica} from ${counter} are listed twice`);
      if (model.exact && counter > next) throw r.error('invalid-value', `events (${replica}, ${next}..${counter - 1}) are missing`);
      next = counter + length;
    }
    if (model.exact && next !== model.version.get(replica) + 1) {
      throw r.error('invalid-value', `events (${replica}, ${next}..${model.version.get(replica)}) are missing`);
    }
  }
  if (model.exact) {
    for (const [replica, counter] of model.version.entries()) {
      if (counter > model.base.get(replica) && !spans.has(replica)) {
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
    for (const id of [run.left, run.right]) {
      if (id !== undefined) checkTarget(id.replica, id.counter, 1, 'origins');
    }
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

      const runs = model.runs;
      w.uint(runs.length);
      writeReplicas(w, table, runs.map((run) => run.replica));
      for (const run of runs) w.uint(run.length);
      const counters = new CounterColumn(model.base);
      for (const run of runs) {
        w.sint(run.counter - counters.expected(run.replica));
        counters.ended(run.replica, run.counter + run.length);
      }
      // Visibility: alternating counts of visible and deleted runs, starting with visible.
      let i = 0;
      while (i < runs.length) {
        let j = i;
        while (j < runs.length && !runs[j]!.deleted) j++;
        w.uint(j - i);
        if (j === runs.length) break;
        let k = j;
        while (k < runs.length && runs[k]!.deleted) k++;
        w.uint(k - j);
        i = k;
      }
      const codes: number[] = runs.map((run, k) => {
        const prev = runs[k - 1];
        const next = runs[k + 1];
        const left =
          run.left === undefined
            ? ORIGIN_NONE
            : prev !== undefined && sameItem(run.left, prev.replica, prev.counter + prev.length - 1)
              ? ORIGIN_NEIGHBOUR
              : ORIGIN_EXPLICIT;
        const right =
          run.right === undefined
            ? ORIGIN_NONE
            : next !== undefined && sameItem(run.right, next.replica, next.counter)
              ? ORIGIN_NEIGHBOUR
              : ORIGIN_EXPLICIT;
        return left + 3 * right;
      });
      for (let k = 0; k < codes.length; k += 2) w.u8(codes[k]! + 9 * (codes[k + 1] ?? 0));
      for (let k = 0; k < runs.length; k++) {
        const run = runs[k]!;
        if (codes[k]! % 3 === ORIGIN_EXPLICIT) {
          table.ref(w, run.left!.replica);
          w.sint(run.counter - run.left!.counter);
        }
      }
      for (let k = 0; k < runs.length; k++) {
        const run = runs[k]!;
        if (Math.floor(codes[k]! / 3) === ORIGIN_EXPLICIT) {
          table.ref(w, run.right!.replica);
          w.sint(run.right!.counter - (run.counter + run.length));
        }
      }
      items.write(
        w,
        runs.filter((run) => !run.deleted).map((run) => run.content!),
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

      const n = r.count(3);
      const replicas = readReplicas(r, table, n);
      const lengths: number[] = new Array(n);
      for (let k = 0; k < n; k++) {
        const len = r.uint();
        if (len === 0) throw r.error('invalid-value', 'a run holds at least one item');
        lengths[k] = len;
      }
      const counters = new CounterColumn(base);
      const starts: number[] = new Array(n);
      for (let k = 0; k < n; k++) {
        const replica = replicas[k]!;
        const start = counters.expected(replica) + r.sint();
        if (start < 1 || start + lengths[k]! - 1 > Number.MAX_SAFE_INTEGER) {
          throw r.error('invalid-value', `run counters lie from 1 to 2^53 − 1, got ${start}`);
        }
        starts[k] = start;
        counters.ended(replica, start + lengths[k]!);
      }
      const deleted: boolean[] = new Array(n);
      let visibleRuns = 0;
      for (let k = 0, visible = true; k < n; visible = !visible) {
        const count = r.uint();
        if (count > n - k) throw r.error('invalid-value', `a visibility count of ${count} does not fit ${n - k} remaining runs`);
        if (count === 0 && !(visible && k === 0)) throw r.error('non-canonical', 'visibility counts after the first are at least 1');
        for (let m = 0; m < count; m++) deleted[k++] = !visible;
        if (visible) visibleRuns += count;
      }
      const codes: number[] = new Array(n);
      for (let k = 0; k < n; k += 2) {
        const byte = r.u8();
        if (byte >= 81 || (k + 1 === n && byte >= 9)) throw r.error('invalid-value', `origin code byte ${byte} is out of range`);
        codes[k] = byte % 9;
        if (k + 1 < n) codes[k + 1] = Math.floor(byte / 9);
      }
      const lefts: (ItemId | undefined)[] = new Array(n);
      const rights: (ItemId | undefined)[] = new Array(n);
      for (let k = 0; k < n; k++) {
        const code = codes[k]! % 3;
        if (code === ORIGIN_NONE) lefts[k] = undefined;
        else if (code === ORIGIN_NEIGHBOUR) {
          if (k === 0) throw r.error('invalid-value', 'the first run has no previous run to take its left origin from');
          lefts[k] = { replica: replicas[k - 1]!, counter: starts[k - 1]! + lengths[k - 1]! - 1 };
        }
      }
      for (let k = 0; k < n; k++) {
        if (codes[k]! % 3 !== ORIGIN_EXPLICIT) continue;
        const replica = table.ref(r);
        const counter = starts[k]! - r.sint();
        if (k > 0 && replica === replicas[k - 1] && counter === starts[k - 1]! + lengths[k - 1]! - 1) {
          throw r.error('non-canonical', 'a left origin that is the previous run\'s last item is written as such');
        }
        lefts[k] = { replica, counter };
      }
      for (let k = 0; k < n; k++) {
        const code = Math.floor(codes[k]! / 3);
        if (code === ORIGIN_NONE) rights[k] = undefined;
        else if (code === ORIGIN_NEIGHBOUR) {
          if (k === n - 1) throw r.error('invalid-value', 'the last run has no next run to take its right origin from');
          rights[k] = { replica: replicas[k + 1]!, counter: starts[k + 1]! };
        } else {
          const replica = table.ref(r);
          const counter = starts[k]! + lengths[k]! + r.sint();
          if (k + 1 < n && replica === replicas[k + 1] && counter === starts[k + 1]) {
            throw r.error('non-canonical', 'a right origin that is the next run\'s first item is written as such');
          }
          rights[k] = { replica, counter };
        }
      }
      let total = 0;
      for (let k = 0; k < n; k++) if (!deleted[k]) total += lengths[k]!;
      const content = items.read(r, total);
      const runs: RunRecord<C>[] = new Array(n);
      let at = 0;
      for (let k = 0; k < n; k++) {
        let part: C | undefined;
        if (!deleted[k]) {
          part = visibleRuns === 1 ? content : items.cut(content, at, at + lengths[k]!);
          at += lengths[k]!;
          if (!items.whole(part)) throw r.error('invalid-value', `run (${replicas[k]}, ${starts[k]}) starts or ends inside a character`);
        }
        runs[k] = {
          replica: replicas[k]!,
          counter: starts[k]!,
          length: lengths[k]!,
          left: lefts[k],
          right: rights[k],
          deleted: deleted[k]!,
          content: part,
        };
      }

      const deletions: DeletionRecord[] = [];
      const deletedItems: RangeRecord[] = [];
      const m = r.count(3);
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
      checkEvents(r, model);
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
          left: id(run.left),
          right: id(run.right),
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
        return {
          replica: replicaFromJSON(x.replica, `${path}.replica`),
          counter: expectUint(x.counter, `${path}.counter`, 1),
          length,
          left: itemId(x.left, `${path}.left`),
          right: itemId(x.right, `${path}.right`),
          deleted,
          content,
        };
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
      return {
        version: versionFromJSON(o.version, 'payload.version', limits),
        base: versionFromJSON(o.base, 'payload.base', limits),
        exact,
        runs,
        deletions,
        deleted,
      };
    },
  };
}
