/**
 * The engine shared by {@link Text} and {@link List}: a FugueMax sequence CRDT over
 * run-length spans in a B-tree, with an index from item ids to spans. How it works is in
 * this folder's README.
 */
import { DecodeError, type PayloadCodec } from '../../codec/index.js';
import { VersionVector } from '../clock/index.js';
import { ReplicatedBase, type Origin, type ReplicatedOptions } from '../replicated.js';
import { deltaBase } from '../wire.js';
import type { DeletionRecord, RangeRecord, RunRecord, SequenceModel } from './model.js';
import { IndexEntry, NONE, Span, SpanTree, type Leaf } from './tree.js';

/** One step of a change in Quill Delta form: keep, insert or delete items. */
export type DeltaOp<C> = { readonly retain: number } | { readonly insert: C } | { readonly delete: number };

/**
 * A change event: the change as a Quill Delta ops array against the content just before
 * it (`[{ retain: 5 }, { insert: 'hi' }, { delete: 2 }]`), with `origin` telling a local
 * edit from a merged update. A merge that brought only events with no visible effect
 * (such as deleting deleted items) gives an empty array.
 */
export type SequenceChange<C> = readonly DeltaOp<C>[] & { readonly origin: Origin };

/**
 * A position that follows edits: `before` sticks to the item before the index it was
 * made at (text typed there lands after the anchor), `after` to the item after it.
 * Serialisable as JSON; `{ edge }` anchors stay at the start or the end.
 */
export type Anchor =
  | { readonly replica: string; readonly counter: number; readonly assoc: 'before' | 'after' }
  | { readonly edge: 'start' | 'end' };

/** Spans {@link Sequence.checkBetween} walks at most between a run's origins. */
const BETWEEN_LIMIT = 4096;

/** Items `ctr .. ctr + len − 1` of replica `rep`, as a merge inserted or deleted them. */
interface ItemRange {
  rep: number;
  ctr: number;
  len: number;
}

/** Stride of a replica's deletion log: counter, length, target replica, target counter, direction. */
const STRIDE = 5;

/** Index of the last of `items` (sorted by counter) whose counter is at most `ctr`, or −1. */
function byCounter(items: readonly { ctr: number }[], ctr: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.ctr <= ctr) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

/** Index of the last of `starts` (ascending) that is at most `ctr`, or −1. */
function runAt(starts: readonly number[], ctr: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ctr) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

function change<C>(ops: DeltaOp<C>[], origin: Origin): SequenceChange<C> {
  Object.defineProperty(ops, 'origin', { value: origin, enumerable: false });
  return ops as DeltaOp<C>[] & { readonly origin: Origin };
}

/**
 * A sequence of items of content type `C` (a string for text, an array for lists).
 * Subclasses say how content is sliced and joined and add their public methods.
 */
export abstract class Sequence<C> extends ReplicatedBase<SequenceModel<C>, SequenceChange<C>> {
  /** The document, tombstones included. */
  protected readonly tree = new SpanTree<C>();
  private readonly vv = new VersionVector();
  /** This replica's own counter: ahead of `vv` between a local edit and the next read of it. */
  private own = 0;
  /**
   * Whether any content ever held part of a two-item character. Until then no boundary
   * can split one, and the checks (which would flatten the strings typing builds) are skipped.
   */
  protected pairs = false;
  /** Counters up to which some deletions are known only by the items they deleted. */
  private readonly learned = new VersionVector();
  /** Replica ids by local number; this replica is 0. */
  private readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();
  /** The span the last id lookup found; a merged-away span is never left here. */
  private hit: Span<C> | undefined = undefined;
  /** Local replica numbers in the order of their ids, rebuilt when a replica is added. */
  private sortedNames: number[] = [];
  /** Per replica: the id index. */
  private readonly index: IndexEntry<C>[][] = [];
  /**
   * Per replica: the first counter of each id-index entry, beside `index`. Lookups search
   * these numbers instead of the entries themselves: one array in cache, no object per step.
   */
  private readonly starts: number[][] = [];
  /** Per replica: its deletions, `STRIDE` numbers each, by counter. */
  private readonly deletions: number[][] = [];

  protected constructor(options: ReplicatedOptions, codec: PayloadCodec<SequenceModel<C>>) {
    super(options, codec);
    this.number(this.replica);
  }

  /** Number of items of `content`. */
  protected abstract measure(content: C): number;
  /** Items `start .. end − 1` of `content`. */
  protected abstract cut(content: C, start: number, end: number): C;
  /** `content` followed by `more`; may reuse `content`, which the caller gives up. */
  protected abstract join(content: C, more: C): C;
  /** The concatenation of `parts`. */
  protected abstract joinAll(parts: C[]): C;
  /**
   * Which half of a two-item character item `offset` of the visible `content` is: 1 the
   * first (text: a high surrogate), 2 the second, 0 neither (always, for lists).
   */
  protected abstract half(content: C, offset: number): 0 | 1 | 2;
  /** Whether two contents hold the same items. */
  protected abstract sameContent(a: C, b: C): boolean;
  /** Whether `content` holds part of a two-item character (text: any surrogate). */
  protected abstract paired(content: C): boolean;

  /** @inheritDoc */
  protected get clock(): VersionVector {
    this.settle();
    return this.vv;
  }

  /** Writes this replica's own counter, kept in {@link own} while typing, into the version. */
  private settle(): void {
    if (this.own > this.vv.get(this.replica)) this.vv.observe(this.replica, this.own);
  }

  /** Number of visible items. */
  get length(): number {
    return this.tree.len;
  }

  private number(replica: string): number {
    let n = this.numbers.get(replica);
    if (n === undefined) {
      n = this.names.length;
      this.names.push(replica);
      this.numbers.set(replica, n);
      this.index.push([]);
      this.starts.push([]);
      this.deletions.push([]);
    }
    return n;
  }

  // ---- Reading ----------------------------------------------------------------------

  /** Every visible item, joined. */
  protected content(): C {
    const parts: C[] = [];
    for (let l: Leaf<C> | undefined = this.tree.first; l !== undefined; l = l.next) {
      if (l.len === 0) continue;
      for (const s of l.spans) if (!s.deleted) parts.push(s.content!);
    }
    return this.joinAll(parts);
  }

  /** Visible items `start .. end − 1`; the bounds are checked by the caller. */
  protected range(start: number, end: number): C {
    const parts: C[] = [];
    if (start >= end) return this.joinAll(parts);
    let span: Span<C> | undefined = this.tree.findVisible(start);
    let leaf = span.leaf;
    let i = this.tree.foundIndex;
    let offset = this.tree.foundOffset;
    let left = end - start;
    while (left > 0 && span !== undefined) {
      if (!span.deleted) {
        const take = Math.min(span.len - offset, left);
        parts.push(offset === 0 && take === span.len ? span.content! : this.cut(span.content!, offset, offset + take));
        left -= take;
        offset = 0;
      }
      if (++i >= leaf.spans.length) {
        let next = leaf.next;
        while (next !== undefined && next.spans.length === 0) next = next.next;
        if (next === undefined) break;
        leaf = next;
        i = 0;
      }
      span = leaf.spans[i];
    }
    return this.joinAll(parts);
  }

  /** Item `index` (0 ≤ index < length) of the visible content, through `read`. */
  protected readItem<R>(index: number, read: (content: C, offset: number) => R): R {
    const span = this.tree.findVisible(index);
    return read(span.content!, this.tree.foundOffset);
  }

  // ---- The id index -----------------------------------------------------------------

  private find(rep: number, ctr: number): Span<C> | undefined {
    // Lookups come in clusters (a run's origins, then the next run's), so try the last hit.
    const hit = this.hit;
    if (hit !== undefined && hit.rep === rep && ctr >= hit.ctr && ctr < hit.ctr + hit.len) return hit;
    const span = this.lookup(rep, ctr);
    if (span !== undefined) this.hit = span;
    return span;
  }

  private lookup(rep: number, ctr: number): Span<C> | undefined {
    const runs = this.index[rep];
    if (runs === undefined) return undefined;
    const r = runAt(this.starts[rep]!, ctr);
    if (r < 0) return undefined;
    const run = runs[r]!;
    if (ctr >= run.end) return undefined;
    const pieces = run.pieces;
    const span = pieces.length === 1 ? pieces[0]! : pieces[byCounter(pieces, ctr)]!;
    return span;
  }

  private addRun(span: Span<C>): void {
    const runs = this.index[span.rep]!;
    const tail = runs[runs.length - 1];
    if (tail !== undefined && tail.end === span.ctr) {
      // The common case: the replica's newest items.
      tail.end += span.len;
      tail.pieces.push(span);
      span.entry = tail;
      return;
    }
    const starts = this.starts[span.rep]!;
    let entry: IndexEntry<C>;
    if (tail === undefined || tail.end < span.ctr) {
      entry = new IndexEntry<C>(span);
      runs.push(entry);
      starts.push(span.ctr);
    } else {
      const r = runAt(starts, span.ctr);
      const run = runs[r];
      if (run !== undefined && run.end === span.ctr) {
        entry = run;
        run.end += span.len;
        run.pieces.push(span);
      } else {
        entry = new IndexEntry<C>(span);
        runs.splice(r + 1, 0, entry);
        starts.splice(r + 1, 0, span.ctr);
      }
    }
    span.entry = entry;
  }

  private runOf(span: Span<C>): IndexEntry<C> {
    return span.entry!;
  }

  /** Splits `span` (at `index` of its leaf) before its item `offset`; returns the right part. */
  private split(span: Span<C>, index: number, offset: number): Span<C> {
    const right = this.cutOff(span, offset);
    this.tree.insertSplit(span.leaf, index, right);
    return right;
  }

  /**
   * Splits `span`, linked but not yet in the tree (see {@link integrateAll}), before its
   * item `offset`; returns the right part, linked after it.
   */
  private splitLinked(span: Span<C>, offset: number): Span<C> {
    const right = this.cutOff(span, offset);
    right.link = span.link;
    span.link = right;
    return right;
  }

  /** Cuts `span` before its item `offset` and indexes the right part, which the caller places. */
  private cutOff(span: Span<C>, offset: number): Span<C> {
    const right = new Span<C>(
      span.rep,
      span.ctr + offset,
      span.len - offset,
      span.rep,
      span.ctr + offset - 1,
      span.rightRep,
      span.rightCtr,
      span.deleted,
      span.deleted ? undefined : this.cut(span.content!, offset, span.len),
      span.leaf,
      span.entry,
    );
    if (!span.deleted) span.content = this.cut(span.content!, 0, offset);
    span.len = offset;
    const pieces = this.runOf(span).pieces;
    pieces.splice(byCounter(pieces, span.ctr) + 1, 0, right);
    return right;
  }

  /** Whether `b`, right after `a` in the document, continues `a`'s run in the same state. */
  private continues(a: Span<C>, b: Span<C>): boolean {
    return (
      a.rep === b.rep &&
      a.ctr + a.len === b.ctr &&
      b.leftRep === a.rep &&
      b.leftCtr === b.ctr - 1 &&
      a.rightRep === b.rightRep &&
      a.rightCtr === b.rightCtr &&
      a.deleted === b.deleted
    );
  }

  /**
   * Merges the span at `index` of `leaf` into the one before it when it continues it and
   * both lie in one index entry; returns whether it did.
   */
  private mergeLeft(leaf: Leaf<C>, index: number): boolean {
    if (index <= 0) return false;
    const a = leaf.spans[index - 1]!;
    const b = leaf.spans[index]!;
    if (!this.continues(a, b)) return false;
    const run = this.runOf(a);
    if (run.end <= b.ctr) return false;
    a.len += b.len;
    if (!a.deleted) a.content = this.join(a.content!, b.content!);
    this.tree.dropMerged(leaf, index);
    if (this.hit === b) this.hit = a;
    const pieces = run.pieces;
    pieces.splice(byCounter(pieces, b.ctr), 1);
    return true;
  }

  private position(rep: number, ctr: number): number {
    const span = this.find(rep, ctr)!;
    return this.tree.position(span) + (ctr - span.ctr);
  }

  // ---- Local edits ------------------------------------------------------------------

  /** Spends `n` counters of this replica; returns the first. */
  private spend(n: number): number {
    const first = this.own + 1;
    if (first + n - 1 > Number.MAX_SAFE_INTEGER) throw new RangeError(`replica ${this.replica} has no events left`);
    this.own = first + n - 1;
    return first;
  }

  /** Inserts `n` items at visible `index`; the caller has checked both. */
  protected insertItems(index: number, content: C, n: number): void {
    const tree = this.tree;
    if (!this.pairs && this.paired(content)) this.pairs = true;
    let ctr = 0;
    let leftRep = NONE;
    let leftCtr = 0;
    let rightRep = NONE;
    let rightCtr = 0;
    let leaf: Leaf<C>;
    let at: number;
    if (index === 0) {
      const first = tree.firstSpan();
      if (first !== undefined) {
        rightRep = first.rep;
        rightCtr = first.ctr;
        leaf = first.leaf;
      } else {
        leaf = tree.first;
      }
      at = 0;
      ctr = this.spend(n);
    } else {
      const span = tree.findVisible(index - 1);
      const foundIndex = tree.foundIndex;
      const foundOffset = tree.foundOffset;
      if (this.pairs && this.half(span.content!, foundOffset) === 1) throw new RangeError(`index ${index} would split a surrogate pair`);
      ctr = this.spend(n);
      leftRep = span.rep;
      leftCtr = span.ctr + foundOffset;
      if (foundOffset < span.len - 1) {
        const right = this.split(span, foundIndex, foundOffset + 1);
        rightRep = right.rep;
        rightCtr = right.ctr;
        leaf = span.leaf;
        at = leaf.spans.indexOf(span) + 1;
      } else {
        const next = tree.nextAt(span.leaf, foundIndex);
        if (next !== undefined) {
          rightRep = next.rep;
          rightCtr = next.ctr;
        }
        if (span.rep === 0 && span.ctr + span.len === ctr && span.rightRep === rightRep && span.rightCtr === rightCtr) {
          // Typing on: the run grows in place.
          span.len += n;
          span.content = this.join(span.content!, content);
          tree.grow(span.leaf, n, n);
          this.runOf(span).end += n;
          this.emitLocal(index, content, 0);
          return;
        }
        leaf = span.leaf;
        at = foundIndex + 1;
      }
    }
    tree.touched(leaf);
    const span = new Span<C>(0, ctr, n, leftRep, leftCtr, rightRep, rightCtr, false, content, leaf, undefined);
    tree.insertAt(leaf, at, span);
    this.addRun(span);
    this.emitLocal(index, content, 0);
  }

  /** Deletes `count` visible items from `index`; the caller has checked both. */
  protected deleteItems(index: number, count: number): void {
    const tree = this.tree;
    if (this.pairs && count > 1) {
      const last = tree.findVisible(index + count - 1);
      if (this.half(last.content!, tree.foundOffset) === 1) throw new RangeError(`end ${index + count} would split a surrogate pair`);
    }
    let span = tree.findVisible(index);
    let offset = tree.foundOffset;
    const half = this.pairs ? this.half(span.content!, offset) : 0;
    if (half === 2) throw new RangeError(`index ${index} would split a surrogate pair`);
    if (count === 1 && half === 1) throw new RangeError(`end ${index + 1} would split a surrogate pair`);
    let ctr = this.spend(count);
    let left = count;
    for (;;) {
      if (!span.deleted) {
        let leaf = span.leaf;
        if (offset > 0) {
          span = this.split(span, leaf.spans.indexOf(span), offset);
          offset = 0;
        }
        if (span.len > left) this.split(span, span.leaf.spans.indexOf(span), left);
        const n = span.len;
        this.kill(span);
        this.log(0, ctr, n, span.rep, span.ctr, 1);
        ctr += n;
        left -= n;
        leaf = span.leaf;
        const i = leaf.spans.indexOf(span);
        if (i + 1 < leaf.spans.length) this.mergeLeft(leaf, i + 1);
        if (this.mergeLeft(leaf, i)) span = leaf.spans[i - 1]!;
        if (left === 0) break;
      }
      span = tree.next(span)!;
    }
    this.emitLocal(index, undefined, count);
  }

  private emitLocal(index: number, inserted: C | undefined, deleted: number): void {
    if (!this.listened) return;
    const ops: DeltaOp<C>[] = index > 0 ? [{ retain: index }] : [];
    ops.push(inserted !== undefined ? { insert: this.cut(inserted, 0, this.measure(inserted)) } : { delete: deleted });
    this.emit(change(ops, 'local'));
  }

  /** Marks a visible span deleted. */
  private kill(span: Span<C>): void {
    span.deleted = true;
    span.content = undefined;
    this.tree.grow(span.leaf, -span.len, 0);
  }

  /** Appends deletions to `rep`'s log, extending its last entry when they continue it. */
  private log(rep: number, ctr: number, len: number, targetRep: number, targetCtr: number, direction: number): void {
    const entries = this.deletions[rep]!;
    const k = entries.length - STRIDE;
    if (k >= 0 && entries[k]! + entries[k + 1]! === ctr && entries[k + 2] === targetRep) {
      const lastLen = entries[k + 1]!;
      const lastTarget = entries[k + 3]!;
      const lastDir = entries[k + 4]!;
      // A single deletion has no direction yet: the next one can give it either.
      for (let d = lastLen === 1 ? 1 : lastDir; d >= -1; d -= 2) {
        if (targetCtr === lastTarget + lastLen * d && (len === 1 || direction === d)) {
          entries[k + 1] = lastLen + len;
          entries[k + 4] = d;
          return;
        }
        if (lastLen !== 1) break;
      }
    }
    entries.push(ctr, len, targetRep, targetCtr, len === 1 ? 1 : direction);
  }

  // ---- Anchors ----------------------------------------------------------------------

  /**
   * An anchor at `index` (0 ≤ index ≤ length): `before` binds to the item before it,
   * `after` to the item at it.
   * @throws {RangeError} when `index` is out of range, or `assoc` is neither.
   */
  anchor(index: number, assoc: 'before' | 'after' = 'after'): Anchor {
    this.checkIndex(index, this.length, 'index');
    if (assoc !== 'before' && assoc !== 'after') throw new RangeError(`assoc must be 'before' or 'after', got ${String(assoc)}`);
    if (assoc === 'before' ? index === 0 : index === this.length) {
      return Object.freeze({ edge: assoc === 'before' ? 'start' : 'end' });
    }
    const span = this.tree.findVisible(assoc === 'before' ? index - 1 : index);
    return Object.freeze({ replica: this.names[span.rep]!, counter: span.ctr + this.tree.foundOffset, assoc });
  }

  /**
   * The index an anchor stands at now, after every edit since it was made, local or
   * remote; `undefined` when this replica has not yet seen the item it binds to. An
   * anchor on a deleted item stands where the item was.
   * @throws {TypeError} when `anchor` is not an anchor.
   */
  resolve(anchor: Anchor): number | undefined {
    if (typeof anchor !== 'object' || anchor === null) throw new TypeError('anchor must be an object made by anchor()');
    if ('edge' in anchor) {
      if (anchor.edge === 'start') return 0;
      if (anchor.edge === 'end') return this.length;
      throw new TypeError(`anchor.edge must be 'start' or 'end', got ${String(anchor.edge)}`);
    }
    const { replica, counter, assoc } = anchor;
    if (typeof replica !== 'string' || !Number.isSafeInteger(counter) || (assoc !== 'before' && assoc !== 'after')) {
      throw new TypeError('anchor must be { replica, counter, assoc } or { edge }, as made by anchor()');
    }
    const rep = this.numbers.get(replica);
    if (rep === undefined) return undefined;
    const span = this.find(rep, counter);
    if (span === undefined) return undefined;
    const before = this.tree.visibleBefore(span);
    if (span.deleted) return before;
    return before + (counter - span.ctr) + (assoc === 'before' ? 1 : 0);
  }

  /** @throws {RangeError} unless `index` is an integer in 0 ..= `max`. */
  protected checkIndex(index: number, max: number, what: string): void {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > max) {
      throw new RangeError(`${what} must be an integer from 0 to ${max}, got ${String(index)}`);
    }
  }

  // ---- Encoding ---------------------------------------------------------------------

  /** @inheritDoc */
  protected snapshot(since: VersionVector | undefined): SequenceModel<C> {
    this.settle();
    const base = deltaBase(since, this.vv);
    const whole = base.size === 0;
    const exact = !whole && base.covers(this.learned);
    const names = this.names;
    const runs: RunRecord<C>[] = [];
    const deleted: RangeRecord[] = [];
    for (const rep of this.byName()) {
      const replica = names[rep]!;
      const low = base.get(replica);
      let last: { -readonly [K in keyof RunRecord<C>]: RunRecord<C>[K] } | undefined;
      let lastDeleted: { replica: string; counter: number; length: number } | undefined;
      const index = this.index[rep]!;
      // Listing deleted items by item needs every run; otherwise start at the first run
      // above the base.
      const from = whole || exact ? Math.max(0, runAt(this.starts[rep]!, low)) : 0;
      for (let k = from; k < index.length; k++) {
        const run = index[k]!;
        if (run.end - 1 <= low && (whole || exact)) continue;
        for (const s of run.pieces) {
          let ctr = s.ctr;
          const end = s.ctr + s.len;
          if (ctr <= low) {
            // Below the base: the receiver has these items; list deleted ones by item
            // when deletions are not listed by event.
            if (s.deleted && !exact) {
              const stop = Math.min(end, low + 1);
              if (lastDeleted !== undefined && lastDeleted.counter + lastDeleted.length === ctr) lastDeleted.length += stop - ctr;
              else deleted.push((lastDeleted = { replica, counter: ctr, length: stop - ctr }));
            }
            if (end - 1 <= low) continue;
            ctr = low + 1;
          }
          const len = end - ctr;
          const leftRep = ctr === s.ctr ? s.leftRep : rep;
          const leftCtr = ctr === s.ctr ? s.leftCtr : ctr - 1;
          if (
            last !== undefined &&
            last.counter + last.length === ctr &&
            leftRep === rep &&
            leftCtr === ctr - 1 &&
            last.deleted === s.deleted &&
            sameId(last.rightReplica, last.rightCounter, names, s.rightRep, s.rightCtr)
          ) {
            last.length += len;
            if (!s.deleted) last.content = this.join(last.content!, ctr === s.ctr ? s.content! : this.cut(s.content!, ctr - s.ctr, s.len));
            continue;
          }
          last = {
            replica,
            counter: ctr,
            length: len,
            leftReplica: leftRep === NONE ? undefined : names[leftRep]!,
            leftCounter: leftRep === NONE ? 0 : leftCtr,
            rightReplica: s.rightRep === NONE ? undefined : names[s.rightRep]!,
            rightCounter: s.rightRep === NONE ? 0 : s.rightCtr,
            deleted: s.deleted,
            content: s.deleted ? undefined : this.cut(s.content!, ctr - s.ctr, s.len),
          };
          runs.push(last);
        }
      }
    }
    return {
      version: this.vv.clone(),
      base,
      exact,
      runs,
      deletions: exact ? this.deletionsAbove(base) : [],
      deleted,
    };
  }

  /** Local replica numbers in the order of their ids. */
  private byName(): readonly number[] {
    if (this.sortedNames.length !== this.names.length) {
      this.sortedNames = this.names.map((_, i) => i).sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : 1));
    }
    return this.sortedNames;
  }

  private deletionsAbove(base: VersionVector): DeletionRecord[] {
    const out: DeletionRecord[] = [];
    for (const rep of this.byName()) {
      const entries = this.deletions[rep]!;
      const low = base.get(this.names[rep]!);
      // The first entry ending above the base, by binary search over entries by counter.
      let lo = 0;
      let hi = entries.length / STRIDE;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (entries[mid * STRIDE]! + entries[mid * STRIDE + 1]! - 1 <= low) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo * STRIDE; k < entries.length; k += STRIDE) {
        let ctr = entries[k]!;
        let len = entries[k + 1]!;
        if (ctr + len - 1 <= low) continue;
        const direction = entries[k + 4]! as 1 | -1;
        let target = entries[k + 3]!;
        if (ctr <= low) {
          target += (low + 1 - ctr) * direction;
          len -= low + 1 - ctr;
          ctr = low + 1;
        }
        out.push({
          replica: this.names[rep]!,
          counter: ctr,
          length: len,
          target: { replica: this.names[entries[k + 2]!]!, counter: target },
          direction: len === 1 ? 1 : direction,
        });
      }
    }
    return out;
  }

  // ---- Merging ----------------------------------------------------------------------

  /** @inheritDoc */
  protected claims(model: SequenceModel<C>): number {
    return model.version.get(this.replica);
  }

  /** @inheritDoc */
  protected merge(model: SequenceModel<C>): SequenceChange<C> | undefined {
    this.settle();
    if (this.vv.covers(model.version)) return undefined;
    const plan = this.plan(model);
    const before = this.listened ? this.vv.clone() : undefined;
    const inserted = before === undefined ? [] : plan.order.map((s) => ({ rep: s.rep, ctr: s.ctr, len: s.len }));
    const touched: ItemRange[] = [];
    this.tree.invalidate();
    if (!this.pairs) for (const span of plan.order) if (span.content !== undefined && this.paired(span.content)) this.pairs = true;
    try {
      if (this.tree.size === 0) this.integrateAll(plan.order);
      else for (const span of plan.order) this.integrate(span);
    } catch (error) {
      // integrate() refuses a run only before changing anything for it; undo the runs
      // before it, so that a refused update leaves the replica as it was.
      this.unintegrate(plan.known);
      throw error;
    }
    for (const d of plan.deletions) {
      this.log(d.rep, d.ctr, d.len, d.targetRep, d.targetCtr, d.direction);
      this.deleteRange(d.targetRep, d.direction > 0 ? d.targetCtr : d.targetCtr - d.len + 1, d.len, touched);
    }
    for (const d of plan.deleted) this.deleteRange(d.rep, d.ctr, d.len, touched);
    this.vv.merge(model.version);
    // A replica loading its own saved state learns its own past.
    this.own = this.vv.get(this.replica);
    if (!model.exact) this.learned.merge(model.version);
    if (before === undefined) return undefined;
    return change(this.describe(before, inserted, touched), 'remote');
  }

  /**
   * Checks an update against this replica and works out what to do, before anything
   * changes: the runs it lacks in an order where every run comes after its origins, and
   * the deletions it lacks.
   * @throws {DecodeError} when the update names items that exist nowhere, contradicts
   *   itself, or would split a character.
   */
  private plan(model: SequenceModel<C>): {
    order: Span<C>[];
    /** Replicas this replica knew before the update: those numbered from here on are new. */
    known: number;
    deletions: { rep: number; ctr: number; len: number; targetRep: number; targetCtr: number; direction: number }[];
    deleted: { rep: number; ctr: number; len: number }[];
  } {
    const vv = this.vv;
    // Local numbers for replicas this replica has not met yet, handed out for real only
    // once the update is accepted.
    const extra = new Map<string, number>();
    let lastName = '';
    let lastNumber = -1;
    const numberOf = (replica: string): number => {
      // Runs of one replica come together, and origins mostly name it too.
      if (replica === lastName) return lastNumber;
      const n = this.numbers.get(replica);
      if (n !== undefined) {
        lastName = replica;
        lastNumber = n;
        return n;
      }
      let e = extra.get(replica);
      if (e === undefined) {
        e = this.names.length + extra.size;
        extra.set(replica, e);
      }
      return e;
    };
    const fresh: Span<C>[] = [];
    // Where each replica's runs lie in `fresh`: runs come sorted by replica and counter
    // (the codec checks), so one replica's runs are one stretch, sorted by counter.
    const stretches = new Map<number, { from: number; to: number }>();
    // Without exact deletions, a deleted run is also how a deletion of its items arrives.
    const deletedRuns: RangeRecord[] = [];
    let seenName = '';
    let seen = 0;
    for (const r of model.runs) {
      if (r.replica !== seenName) {
        seenName = r.replica;
        seen = vv.get(r.replica);
      }
      if (!model.exact && r.deleted && r.counter <= seen) {
        deletedRuns.push({ replica: r.replica, counter: r.counter, length: Math.min(r.length, seen - r.counter + 1) });
      }
      if (r.counter + r.length - 1 <= seen) continue;
      const rep = numberOf(r.replica);
      let { counter: ctr, length: len, content } = r;
      let leftRep = r.leftReplica === undefined ? NONE : numberOf(r.leftReplica);
      let leftCtr = r.leftCounter;
      if (ctr <= seen) {
        // The replica has the start of this run: it must agree with what it has, and the
        // rest must not begin inside a character.
        this.checkOverlap(r, seen, rep);
        if (content !== undefined) content = this.cut(content, seen - ctr + 1, len);
        len -= seen - ctr + 1;
        leftRep = rep;
        leftCtr = seen;
        ctr = seen + 1;
      }
      const run = new Span<C>(
        rep,
        ctr,
        len,
        leftRep,
        leftCtr,
        r.rightReplica === undefined ? NONE : numberOf(r.rightReplica),
        r.rightCounter,
        r.deleted,
        content,
        this.tree.last,
        undefined,
      );
      const stretch = stretches.get(rep);
      if (stretch === undefined) stretches.set(rep, { from: fresh.length, to: fresh.length + 1 });
      else stretch.to = fresh.length + 1;
      fresh.push(run);
    }
    let pairs = this.pairs;
    for (let i = 0; !pairs && i < fresh.length; i++) pairs = fresh[i]!.content !== undefined && this.paired(fresh[i]!.content!);
    let lastFresh: Span<C> | undefined;
    const freshAt = (rep: number, ctr: number): Span<C> | undefined => {
      if (lastFresh !== undefined && lastFresh.rep === rep && ctr >= lastFresh.ctr && ctr < lastFresh.ctr + lastFresh.len) return lastFresh;
      const stretch = stretches.get(rep);
      if (stretch === undefined) return undefined;
      let lo = stretch.from;
      let hi = stretch.to - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (fresh[mid]!.ctr <= ctr) lo = mid + 1;
        else hi = mid - 1;
      }
      const run = hi >= stretch.from ? fresh[hi] : undefined;
      if (run === undefined || ctr >= run.ctr + run.len) return undefined;
      lastFresh = run;
      return run;
    };
    const empty = this.tree.size === 0;
    const known = (rep: number, ctr: number): Span<C> | undefined => (!empty && rep < this.names.length ? this.find(rep, ctr) : undefined);
    const itemName = (rep: number, ctr: number): string =>
      `(${rep < this.names.length ? this.names[rep]! : [...extra].find(([, n]) => n === rep)![0]}, ${ctr})`;

    // Every origin exists here or in the update; an origin here that is visible must not
    // sit inside a character.
    const dependency = (rep: number, ctr: number, side: 'left' | 'right'): Span<C> | undefined => {
      if (rep === NONE) return undefined;
      const here = known(rep, ctr);
      const span = here ?? freshAt(rep, ctr);
      if (span === undefined) throw new DecodeError('invalid-value', `origin ${itemName(rep, ctr)} is not an inserted item here or in the update`);
      // An insertion right after the first half of a character, or right before the second,
      // would split it.
      if (pairs && !span.deleted && this.half(span.content!, ctr - span.ctr) === (side === 'left' ? 1 : 2)) {
        throw new DecodeError('invalid-value', `an insertion next to item ${itemName(rep, ctr)} would split a character`);
      }
      return here === undefined ? span : undefined;
    };

    // A run lies between its origins: the right one after the left one. Where both are
    // here already, compare them now, before anything changes; integrate() checks the
    // rest (see checkBetween).
    const checkOrder = (run: Span<C>): void => {
      if (run.rightRep === NONE) return;
      if (run.leftRep === run.rightRep && run.leftCtr === run.rightCtr) {
        throw new DecodeError('invalid-value', `run ${itemName(run.rep, run.ctr)} has the same item as left and right origin`);
      }
      if (run.leftRep === NONE) return;
      const left = known(run.leftRep, run.leftCtr);
      const right = known(run.rightRep, run.rightCtr);
      if (left === undefined || right === undefined) return;
      // Within one span, items stand in counter order.
      if (left === right) {
        if (run.rightCtr > run.leftCtr) return;
        throw new DecodeError('invalid-value', `run ${itemName(run.rep, run.ctr)} has its right origin before its left origin`);
      }
      if (this.position(run.rightRep, run.rightCtr) <= this.position(run.leftRep, run.leftCtr)) throw new DecodeError('invalid-value', `run ${itemName(run.rep, run.ctr)} has its right origin before its left origin`);
    };

    // Depth-first, so that each run follows its origins; a cycle is refused. While every
    // run comes after its origins as listed, the order is `fresh` itself; `order` is made
    // at the first run that must wait for another.
    let order: Span<C>[] | undefined;
    const stack: Span<C>[] = [];
    const visit = (run: Span<C>, dep: Span<C> | undefined): void => {
      if (dep === undefined || dep.mark === 2) return;
      if (dep.mark === 1) throw new DecodeError('invalid-value', `runs ${itemName(run.rep, run.ctr)} and ${itemName(dep.rep, dep.ctr)} are each other's origins`);
      stack.push(dep);
    };
    for (let i = 0; i < fresh.length; i++) {
      const root = fresh[i]!;
      if (root.mark !== 0) continue;
      // Most runs come after their origins already (runs are listed by counter, and
      // origins are older): place them without the stack. An origin of the run's own
      // replica with a lower counter is here or in a run placed before this one, if
      // anywhere: without characters to keep whole, integrate() looks it up (and refuses
      // an item that exists nowhere) instead of finding it twice.
      checkOrder(root);
      const left = !pairs && root.leftRep === root.rep && root.leftCtr < root.ctr ? undefined : dependency(root.leftRep, root.leftCtr, 'left');
      const right = !pairs && root.rightRep === root.rep && root.rightCtr < root.ctr ? undefined : dependency(root.rightRep, root.rightCtr, 'right');
      if ((left === undefined || left.mark === 2) && (right === undefined || right.mark === 2)) {
        root.mark = 2;
        order?.push(root);
        continue;
      }
      order ??= fresh.slice(0, i);
      root.mark = 1;
      stack.push(root);
      visit(root, left);
      visit(root, right);
      while (stack.length > 0) {
        const run = stack[stack.length - 1]!;
        if (run.mark === 0) {
          run.mark = 1;
          checkOrder(run);
          visit(run, dependency(run.leftRep, run.leftCtr, 'left'));
          visit(run, dependency(run.rightRep, run.rightCtr, 'right'));
        } else {
          stack.pop();
          if (run.mark === 1) {
            run.mark = 2;
            order!.push(run);
          }
        }
      }
    }

    const checkTargets = (rep: number, first: number, len: number): void => {
      for (let ctr = first; ctr < first + len; ) {
        const span = known(rep, ctr) ?? freshAt(rep, ctr);
        if (span === undefined) throw new DecodeError('invalid-value', `deleted item ${itemName(rep, ctr)} is not an inserted item here or in the update`);
        const offset = ctr - span.ctr;
        const last = Math.min(span.len, offset + first + len - ctr) - 1;
        if (pairs && !span.deleted && (this.half(span.content!, offset) === 2 || this.half(span.content!, last) === 1)) {
          throw new DecodeError('invalid-value', `deleting items of ${itemName(rep, ctr)} would split a character`);
        }
        ctr = span.ctr + span.len;
      }
    };
    const deletions = [];
    for (const d of model.deletions) {
      const seen = vv.get(d.replica);
      if (d.counter + d.length - 1 <= seen) continue;
      let { counter: ctr, length: len } = d;
      let targetCtr = d.target.counter;
      if (ctr <= seen) {
        targetCtr += (seen + 1 - ctr) * d.direction;
        len -= seen + 1 - ctr;
        ctr = seen + 1;
      }
      const targetRep = numberOf(d.target.replica);
      checkTargets(targetRep, d.direction > 0 ? targetCtr : targetCtr - len + 1, len);
      deletions.push({ rep: numberOf(d.replica), ctr, len, targetRep, targetCtr, direction: d.direction });
    }
    const deleted = [];
    for (const d of deletedRuns.length > 0 ? [...model.deleted, ...deletedRuns] : model.deleted) {
      const rep = numberOf(d.replica);
      checkTargets(rep, d.counter, d.length);
      deleted.push({ rep, ctr: d.counter, len: d.length });
    }
    // Accepted: the new replicas get their numbers.
    const knownReplicas = this.names.length;
    for (const [replica] of extra) this.number(replica);
    return { order: order ?? fresh, known: knownReplicas, deletions, deleted };
  }

  /**
   * Checks, as `run` is integrated, the spans between its origins (from `first`, the
   * span after the left origin, up to `right`, the right origin's span): no item the
   * run's author had made before it may lie there, since the author saw those items and
   * an honest run's origins were neighbours around them; and the walk must meet the
   * right origin, which otherwise lies before the left one. Both hold for every honest
   * update, whatever else has arrived. Walks at most {@link BETWEEN_LIMIT} spans:
   * concurrent insertions can honestly put many spans there, and the walk must stay
   * cheap; past the limit the run is taken as it comes.
   * @throws {DecodeError} when either rule is broken; nothing has changed for the run yet.
   */
  private checkBetween(run: Span<C>, first: Span<C> | undefined, right: Span<C>): void {
    const name = (rep: number, ctr: number): string => `(${this.names[rep]!}, ${ctr})`;
    let cur = first;
    for (let steps = 0; cur !== right && steps < BETWEEN_LIMIT; steps++) {
      if (cur === undefined) throw new DecodeError('invalid-value', `run ${name(run.rep, run.ctr)} has its right origin before its left origin`);
      if (cur.rep === run.rep && cur.ctr < run.ctr) {
        throw new DecodeError('invalid-value', `run ${name(run.rep, run.ctr)} names origins around item ${name(cur.rep, cur.ctr)}, which its author had already made`);
      }
      cur = this.tree.next(cur);
    }
  }

  /**
   * Takes out every item of a refused update that integrate() had put in: for each
   * replica, the items above what this replica had seen of it (all of them for the
   * replicas numbered from `known` on, which are then forgotten). Spans split on the
   * way stay split, which changes no item, order or encoding.
   */
  private unintegrate(known: number): void {
    const tree = this.tree;
    for (let rep = 0; rep < this.names.length; rep++) {
      const seen = rep < known ? this.vv.get(this.names[rep]!) : 0;
      const runs = this.index[rep]!;
      while (runs.length > 0) {
        const run = runs[runs.length - 1]!;
        if (run.end - 1 <= seen) break;
        const pieces = run.pieces;
        while (pieces.length > 0) {
          const span = pieces[pieces.length - 1]!;
          if (span.ctr + span.len - 1 <= seen) break;
          const leaf = span.leaf;
          if (span.ctr <= seen) {
            // A span that a new run was merged into: it keeps its old items.
            const keep = seen - span.ctr + 1;
            const gone = span.len - keep;
            if (!span.deleted) span.content = this.cut(span.content!, 0, keep);
            span.len = keep;
            tree.grow(leaf, span.deleted ? 0 : -gone, -gone);
            break;
          }
          leaf.spans.splice(leaf.spans.indexOf(span), 1);
          tree.grow(leaf, span.deleted ? 0 : -span.len, -span.len);
          pieces.pop();
        }
        if (pieces.length === 0) {
          runs.pop();
          this.starts[rep]!.pop();
        } else {
          run.end = Math.min(run.end, seen + 1);
          break;
        }
      }
    }
    for (const replica of this.names.splice(known)) this.numbers.delete(replica);
    this.index.length = known;
    this.starts.length = known;
    this.deletions.length = known;
    this.sortedNames = [];
    this.hit = undefined;
    tree.invalidate();
  }

  /**
   * Checks the part of an incoming run that this replica already has (items `r.counter ..
   * seen` of `rep`): they must be items it knows as inserted, with the same content where
   * both show it, and the rest of the run must not begin inside a character.
   * @throws {DecodeError} when the run contradicts what this replica has seen.
   */
  private checkOverlap(r: RunRecord<C>, seen: number, rep: number): void {
    for (let ctr = r.counter; ctr <= seen; ) {
      const span = rep < this.names.length ? this.find(rep, ctr) : undefined;
      if (span === undefined) {
        throw new DecodeError('invalid-value', `run (${r.replica}, ${r.counter}) contradicts this replica: it never saw item ${ctr} inserted`);
      }
      const offset = ctr - span.ctr;
      const n = Math.min(span.len - offset, seen + 1 - ctr);
      if (!span.deleted && r.content !== undefined) {
        const mine = this.cut(span.content!, offset, offset + n);
        const theirs = this.cut(r.content, ctr - r.counter, ctr - r.counter + n);
        if (!this.sameContent(mine, theirs)) {
          throw new DecodeError('invalid-value', `run (${r.replica}, ${r.counter}) contradicts this replica's items from ${ctr}`);
        }
      }
      ctr += n;
    }
    if (r.content !== undefined && this.half(r.content, seen - r.counter + 1) === 2) {
      throw new DecodeError('invalid-value', `run (${r.replica}, ${r.counter}) would be cut inside a character`);
    }
  }

  /**
   * The span holding an origin of a run being integrated.
   * @throws {DecodeError} when no inserted item has that id (plan() leaves some origins
   *   to be checked here).
   */
  private origin(rep: number, ctr: number): Span<C> {
    const span = this.find(rep, ctr);
    if (span === undefined) throw new DecodeError('invalid-value', `origin (${this.names[rep]!}, ${ctr}) is not an inserted item here or in the update`);
    return span;
  }

  /**
   * Integrates `order` into an empty replica (loading a whole state): as a linked list,
   * while each run's origins are neighbours (no concurrent items between them, so no
   * scan and no position is needed), then builds the tree from the list in one pass and
   * integrates the rest, from the first run that needs a scan, into the tree. Loading a
   * document edited by one person at a time never touches the tree until the end.
   * @throws {DecodeError} as {@link integrate} does; the tree is then built from what was
   *   linked, so {@link unintegrate} can take it out again.
   */
  private integrateAll(order: readonly Span<C>[]): void {
    let head: Span<C> | undefined;
    let k = 0;
    try {
      for (; k < order.length; k++) {
        const run = order[k]!;
        let prev: Span<C> | undefined;
        if (run.leftRep !== NONE) {
          prev = this.origin(run.leftRep, run.leftCtr);
          const offset = run.leftCtr - prev.ctr;
          if (offset < prev.len - 1) this.splitLinked(prev, offset + 1);
        }
        let right: Span<C> | undefined;
        if (run.rightRep !== NONE) {
          right = this.origin(run.rightRep, run.rightCtr);
          const offset = run.rightCtr - right.ctr;
          if (offset > 0) right = this.splitLinked(right, offset);
        }
        const next = prev === undefined ? head : prev.link;
        if (next !== right) break;
        run.mark = 0;
        const entry = prev?.entry;
        if (prev !== undefined && entry !== undefined && entry.end === run.ctr && this.continues(prev, run)) {
          // The run continues the span before it: typing on after a pause.
          prev.len += run.len;
          if (!prev.deleted) prev.content = this.join(prev.content!, run.content!);
          entry.end += run.len;
          continue;
        }
        run.link = next;
        if (prev === undefined) head = run;
        else prev.link = run;
        this.addRun(run);
      }
    } finally {
      this.tree.build(head);
    }
    for (; k < order.length; k++) this.integrate(order[k]!);
  }

  /**
   * Puts a run where FugueMax orders it among the items between its origins (the
   * YjsMod integration, proved equal to FugueMax by Weidner, Gentle and Kleppmann).
   */
  private integrate(run: Span<C>): void {
    const tree = this.tree;
    let prev: Span<C> | undefined;
    let prevAt = -1;
    if (run.leftRep !== NONE) {
      prev = this.origin(run.leftRep, run.leftCtr);
      prevAt = prev.leaf.spans.indexOf(prev);
      const offset = run.leftCtr - prev.ctr;
      if (offset < prev.len - 1) {
        const leaf = prev.leaf;
        this.split(prev, prevAt, offset + 1);
        if (prev.leaf !== leaf) prevAt = prev.leaf.spans.indexOf(prev);
      }
    }
    let right: Span<C> | undefined;
    if (run.rightRep !== NONE) {
      right = this.origin(run.rightRep, run.rightCtr);
      const offset = run.rightCtr - right.ctr;
      if (offset > 0) {
        const leaf = prev?.leaf;
        right = this.split(right, right.leaf.spans.indexOf(right), offset);
        // Splitting the right origin's span may have moved the left origin.
        if (prev !== undefined && (prev.leaf !== leaf || prev.leaf === right.leaf)) prevAt = prev.leaf.spans.indexOf(prev);
      }
    }
    // Where the run goes when nothing concurrent lies between its origins: right after
    // its left origin (before the document's first span when it has none).
    let leaf = prev === undefined ? tree.first : prev.leaf;
    let at = prevAt + 1;
    const next = at < leaf.spans.length ? leaf.spans[at] : tree.nextAt(leaf, at - 1);
    if (next !== right) {
      if (right !== undefined) this.checkBetween(run, next, right);
      const dest = this.scan(run, next, right);
      if (dest === undefined) {
        leaf = tree.last;
        at = leaf.spans.length;
      } else {
        leaf = dest.leaf;
        at = leaf.spans.indexOf(dest);
      }
    }
    run.leaf = leaf;
    run.mark = 0;
    tree.insertAt(leaf, at, run);
    this.addRun(run);
    if (run.leaf !== leaf) {
      leaf = run.leaf;
      at = leaf.spans.indexOf(run);
    }
    if (at + 1 < leaf.spans.length) this.mergeLeft(leaf, at + 1);
    this.mergeLeft(leaf, at);
  }

  /**
   * The FugueMax scan over the spans from `first` up to the run's right origin: returns
   * the span the run goes before (undefined: the end of the document).
   */
  private scan(run: Span<C>, first: Span<C> | undefined, right: Span<C> | undefined): Span<C> | undefined {
    const dest = this.scanFrom(run, first, right);
    if (dest === undefined && right !== undefined) {
      // The scan passed the end without meeting the right origin: it lies before the left
      // one, which only a faulty peer's update can say, and only with more spans between
      // than checkBetween() walks (it refuses the rest). Where two items lie never
      // changes, so every replica finds the same; all then treat the run as having no
      // right origin, and it encodes that way.
      run.rightRep = NONE;
      run.rightCtr = 0;
      return this.scanFrom(run, first, undefined);
    }
    return dest;
  }

  private scanFrom(run: Span<C>, first: Span<C> | undefined, right: Span<C> | undefined): Span<C> | undefined {
    const tree = this.tree;
    let cur = first;
    let dest = cur;
    let scanning = false;
    let leftPos = Number.NaN;
    let rightPos = Number.NaN;
    while (cur !== right && cur !== undefined) {
      if (!scanning) dest = cur;
      let order: number;
      if (cur.leftRep === run.leftRep && cur.leftCtr === run.leftCtr) order = 0;
      else {
        if (Number.isNaN(leftPos)) leftPos = run.leftRep === NONE ? -1 : this.position(run.leftRep, run.leftCtr);
        order = (cur.leftRep === NONE ? -1 : this.position(cur.leftRep, cur.leftCtr)) - leftPos;
      }
      if (order < 0) break;
      if (order === 0) {
        let rightOrder: number;
        if (cur.rightRep === run.rightRep && cur.rightCtr === run.rightCtr) rightOrder = 0;
        else {
          if (Number.isNaN(rightPos)) rightPos = run.rightRep === NONE ? tree.size : this.position(run.rightRep, run.rightCtr);
          rightOrder = (cur.rightRep === NONE ? tree.size : this.position(cur.rightRep, cur.rightCtr)) - rightPos;
        }
        if (rightOrder < 0) scanning = true;
        else if (rightOrder === 0) {
          if (this.names[run.rep]! < this.names[cur.rep]!) break;
          scanning = false;
        } else scanning = false;
      }
      cur = tree.next(cur);
    }
    return scanning ? dest : cur;
  }

  /** Deletes items `first .. first + len − 1` of `rep`, noting those that were visible. */
  private deleteRange(rep: number, first: number, len: number, touched: ItemRange[]): void {
    const end = first + len;
    let ctr = first;
    while (ctr < end) {
      let span = this.find(rep, ctr)!;
      if (span.deleted) {
        ctr = span.ctr + span.len;
        continue;
      }
      if (span.ctr < ctr) span = this.split(span, span.leaf.spans.indexOf(span), ctr - span.ctr);
      if (span.ctr + span.len > end) this.split(span, span.leaf.spans.indexOf(span), end - span.ctr);
      touched.push({ rep, ctr: span.ctr, len: span.len });
      ctr = span.ctr + span.len;
      this.kill(span);
      const leaf = span.leaf;
      const i = leaf.spans.indexOf(span);
      if (i + 1 < leaf.spans.length) this.mergeLeft(leaf, i + 1);
      this.mergeLeft(leaf, i);
    }
  }

  /**
   * The visible effect of a merge as a Quill Delta against the content before it: the
   * runs it inserted that are visible, and the items it deleted that were visible
   * before, in document order.
   */
  private describe(before: VersionVector, inserted: readonly ItemRange[], killed: readonly ItemRange[]): DeltaOp<C>[] {
    const tree = this.tree;
    const segments: { pos: number; at: number; content: C | undefined; len: number }[] = [];
    for (const run of inserted) {
      for (let ctr = run.ctr; ctr < run.ctr + run.len; ) {
        const span = this.find(run.rep, ctr)!;
        const offset = ctr - span.ctr;
        const len = Math.min(span.len - offset, run.ctr + run.len - ctr);
        if (!span.deleted) {
          segments.push({
            pos: tree.position(span) + offset,
            at: tree.visibleBefore(span) + offset,
            content: this.cut(span.content!, offset, offset + len),
            len,
          });
        }
        ctr += len;
      }
    }
    for (const k of killed) {
      const old = Math.min(k.len, before.get(this.names[k.rep]!) - k.ctr + 1);
      if (old <= 0) continue;
      const span = this.find(k.rep, k.ctr)!;
      segments.push({ pos: tree.position(span) + (k.ctr - span.ctr), at: tree.visibleBefore(span), content: undefined, len: old });
    }
    segments.sort((a, b) => a.pos - b.pos);
    const ops: DeltaOp<C>[] = [];
    let cursor = 0;
    for (const seg of segments) {
      if (seg.at > cursor) {
        ops.push({ retain: seg.at - cursor });
        cursor = seg.at;
      }
      const last = ops[ops.length - 1];
      if (seg.content === undefined) {
        if (last !== undefined && 'delete' in last) ops[ops.length - 1] = { delete: last.delete + seg.len };
        else ops.push({ delete: seg.len });
        continue;
      }
      cursor += seg.len;
      // Quill's normal form puts an insertion before a deletion at the same place.
      const removed = last !== undefined && 'delete' in last ? ops.pop() : undefined;
      const prior = ops[ops.length - 1];
      if (prior !== undefined && 'insert' in prior) ops[ops.length - 1] = { insert: this.join(prior.insert, seg.content) };
      else ops.push({ insert: seg.content });
      if (removed !== undefined) ops.push(removed);
    }
    return ops;
  }
}

function sameId(replica: string | undefined, counter: number, names: readonly string[], rep: number, ctr: number): boolean {
  if (replica === undefined) return rep === NONE;
  return rep !== NONE && replica === names[rep] && counter === ctr;
}
