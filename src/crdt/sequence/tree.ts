/**
 * The document as a B-tree of spans in document order, tombstones included. Every node
 * knows how many visible items (`len`) and how many items in all (`size`) lie under it,
 * so finding the span at a visible index, or the position of a span, walks one path from
 * the root: O(log n). Spans are never removed, only split, merged with a neighbour or
 * marked deleted, so nodes never underflow and the tree needs no rebalancing on removal.
 */

/** Replica number of the start and end sentinels in origin fields. */
export const NONE = -1;

/** Items a leaf, or children a branch, holds before it splits. */
const MAX_CHILDREN = 48;
/** Items a leaf, or children a branch, gets from {@link SpanTree.build}: room to grow before splitting. */
const BUILD_FILL = 32;

/**
 * A run of items inserted one after another by one replica: the items with counters
 * `ctr .. ctr + len - 1` of replica `rep` (a number local to the document). Item `k`'s
 * left origin is item `k - 1`; the first item's is (`leftRep`, `leftCtr`). Every item
 * shares the right origin (`rightRep`, `rightCtr`). `NONE` stands for the start (left)
 * or the end (right) of the document. A class, not an object literal, so that every span
 * has one shape and is cheap to make (a whole state makes one per run).
 */
export class Span<C> {
  rep: number;
  ctr: number;
  len: number;
  leftRep: number;
  leftCtr: number;
  rightRep: number;
  rightCtr: number;
  deleted: boolean;
  /** The items, while they are visible; `undefined` once deleted. */
  content: C | undefined;
  /** The leaf holding the span. */
  leaf: Leaf<C>;
  /** The id-index entry holding the span; undefined until the span is indexed. */
  entry: IndexEntry<C> | undefined;
  /** Scratch while an update is ordered for integration: 0 new, 1 visiting, 2 ordered. */
  mark: number;
  /**
   * The next span in document order while a whole state is loaded into an empty replica
   * (before {@link SpanTree.build} puts the spans in leaves); undefined otherwise.
   */
  link: Span<C> | undefined;

  constructor(
    rep: number,
    ctr: number,
    len: number,
    leftRep: number,
    leftCtr: number,
    rightRep: number,
    rightCtr: number,
    deleted: boolean,
    content: C | undefined,
    leaf: Leaf<C>,
    entry: IndexEntry<C> | undefined,
  ) {
    this.rep = rep;
    this.ctr = ctr;
    this.len = len;
    this.leftRep = leftRep;
    this.leftCtr = leftCtr;
    this.rightRep = rightRep;
    this.rightCtr = rightCtr;
    this.deleted = deleted;
    this.content = content;
    this.leaf = leaf;
    this.entry = entry;
    this.mark = 0;
    this.link = undefined;
  }
}

/**
 * An id-index entry: consecutive counters of one replica, from its first piece's up to
 * `end − 1`, and the spans holding them. (The engine keeps each entry's first counter in
 * a separate array of numbers, which lookups search.)
 */
export class IndexEntry<C> {
  end: number;
  /** Spans holding the entry's items, by counter. */
  pieces: Span<C>[];

  /**
   * An entry holding `span` alone. The array is a copy (`slice`) of a literal that dies at
   * once: V8 decides per literal whether its objects start in the old generation, and a
   * copy belongs to no literal, so entries of a document loaded and soon dropped never
   * land there because other documents' entries lived long (`Array.of` would do the same
   * at twenty times the cost).
   */
  constructor(span: Span<C>) {
    this.end = span.ctr + span.len;
    this.pieces = [span].slice();
  }
}

/** A leaf: spans in document order. */
export class Leaf<C> {
  spans: Span<C>[] = [];
  parent: Branch<C> | undefined = undefined;
  next: Leaf<C> | undefined = undefined;
  prev: Leaf<C> | undefined = undefined;
  /** Visible items under this node. */
  len = 0;
  /** Items under this node, deleted ones included. */
  size = 0;
}

/** An inner node. */
export class Branch<C> {
  children: (Branch<C> | Leaf<C>)[] = [];
  parent: Branch<C> | undefined = undefined;
  len = 0;
  size = 0;
}

type Node<C> = Branch<C> | Leaf<C>;

/** Adds to the counts of `node` and every ancestor. */
function bump<C>(node: Node<C> | undefined, len: number, size: number): void {
  for (let n = node; n !== undefined; n = n.parent) {
    n.len += len;
    n.size += size;
  }
}

/** The span tree. */
export class SpanTree<C> {
  root: Node<C> = new Leaf<C>();
  first: Leaf<C> = this.root as Leaf<C>;
  last: Leaf<C> = this.root as Leaf<C>;
  // The leaf of the last local edit and the visible index of its first item: typing
  // moves through one leaf for a while, so most lookups start there, not at the root.
  private cacheLeaf: Leaf<C> | undefined = undefined;
  private cacheStart = 0;
  /** Where the last {@link findVisible} landed: the span's index in its leaf. */
  foundIndex = 0;
  /** Where the last {@link findVisible} landed: the item's offset in the span. */
  foundOffset = 0;

  /** Visible items. */
  get len(): number {
    return this.root.len;
  }

  /** Items, deleted ones included. */
  get size(): number {
    return this.root.size;
  }

  /** Forgets the cached leaf; called when an edit may have moved it. */
  invalidate(): void {
    this.cacheLeaf = undefined;
  }

  /** Notes an edit in `leaf`: one anywhere but the cached leaf may move where it starts. */
  touched(leaf: Leaf<C>): void {
    if (leaf !== this.cacheLeaf) this.cacheLeaf = undefined;
  }

  /**
   * The span holding the visible item at `index` (0 ≤ index < len); the span's index in
   * its leaf and the item's offset in the span are left in {@link foundIndex} and
   * {@link foundOffset} (no object per lookup: this runs on every keystroke).
   */
  findVisible(index: number): Span<C> {
    let leaf: Leaf<C>;
    let rest: number;
    const cached = this.cacheLeaf;
    if (cached !== undefined && index >= this.cacheStart && index < this.cacheStart + cached.len) {
      leaf = cached;
      rest = index - this.cacheStart;
    } else {
      let node: Node<C> = this.root;
      rest = index;
      while (node instanceof Branch) {
        const children: Node<C>[] = node.children;
        let i = 0;
        let child = children[0]!;
        while (rest >= child.len) {
          rest -= child.len;
          child = children[++i]!;
        }
        node = child;
      }
      leaf = node;
      this.cacheLeaf = leaf;
      this.cacheStart = index - rest;
    }
    const spans = leaf.spans;
    for (let i = 0; ; i++) {
      const span = spans[i]!;
      if (!span.deleted) {
        if (rest < span.len) {
          this.foundIndex = i;
          this.foundOffset = rest;
          return span;
        }
        rest -= span.len;
      }
    }
  }

  /** The span after `span` in document order, if any. */
  next(span: Span<C>): Span<C> | undefined {
    const leaf = span.leaf;
    const spans = leaf.spans;
    const i = spans.indexOf(span);
    if (i + 1 < spans.length) return spans[i + 1];
    for (let l = leaf.next; l !== undefined; l = l.next) if (l.spans.length > 0) return l.spans[0];
    return undefined;
  }

  /** The span after the one at `index` of `leaf`, if any. */
  nextAt(leaf: Leaf<C>, index: number): Span<C> | undefined {
    if (index + 1 < leaf.spans.length) return leaf.spans[index + 1];
    for (let l = leaf.next; l !== undefined; l = l.next) if (l.spans.length > 0) return l.spans[0];
    return undefined;
  }

  /** The first span in document order, if any. */
  firstSpan(): Span<C> | undefined {
    for (let l: Leaf<C> | undefined = this.first; l !== undefined; l = l.next) if (l.spans.length > 0) return l.spans[0];
    return undefined;
  }

  /** Number of items (deleted ones included) before `span`. */
  position(span: Span<C>): number {
    const leaf = span.leaf;
    let pos = 0;
    for (const s of leaf.spans) {
      if (s === span) break;
      pos += s.len;
    }
    let node: Node<C> = leaf;
    for (let parent = node.parent; parent !== undefined; node = parent, parent = parent.parent) {
      for (const child of parent.children) {
        if (child === node) break;
        pos += child.size;
      }
    }
    return pos;
  }

  /** Number of visible items before `span`. */
  visibleBefore(span: Span<C>): number {
    const leaf = span.leaf;
    let pos = 0;
    for (const s of leaf.spans) {
      if (s === span) break;
      if (!s.deleted) pos += s.len;
    }
    let node: Node<C> = leaf;
    for (let parent = node.parent; parent !== undefined; node = parent, parent = parent.parent) {
      for (const child of parent.children) {
        if (child === node) break;
        pos += child.len;
      }
    }
    return pos;
  }

  /** Inserts `span` at `index` of `leaf`. */
  insertAt(leaf: Leaf<C>, index: number, span: Span<C>): void {
    span.leaf = leaf;
    leaf.spans.splice(index, 0, span);
    bump(leaf, span.deleted ? 0 : span.len, span.len);
    if (leaf.spans.length > MAX_CHILDREN) this.splitLeaf(leaf);
  }

  /** Inserts `span` before `before`, or at the end when `before` is undefined. */
  insertBefore(before: Span<C> | undefined, span: Span<C>): void {
    if (before === undefined) {
      this.insertAt(this.last, this.last.spans.length, span);
    } else {
      this.insertAt(before.leaf, before.leaf.spans.indexOf(before), span);
    }
  }

  /** Puts `span`, split from the span at `index` of `leaf`, right after it; counts are unchanged. */
  insertSplit(leaf: Leaf<C>, index: number, span: Span<C>): void {
    span.leaf = leaf;
    leaf.spans.splice(index + 1, 0, span);
    if (leaf.spans.length > MAX_CHILDREN) this.splitLeaf(leaf);
  }

  /** Drops the span at `index` of `leaf`, whose items its left neighbour has taken over; counts are unchanged. */
  dropMerged(leaf: Leaf<C>, index: number): void {
    leaf.spans.splice(index, 1);
  }

  /** Adds `len` visible items and `size` items to the counts above `leaf`. */
  grow(leaf: Leaf<C>, len: number, size: number): void {
    bump(leaf, len, size);
  }

  private splitLeaf(leaf: Leaf<C>): void {
    this.invalidate();
    const right = new Leaf<C>();
    right.spans = leaf.spans.splice(leaf.spans.length >> 1);
    let len = 0;
    let size = 0;
    for (const s of right.spans) {
      s.leaf = right;
      size += s.len;
      if (!s.deleted) len += s.len;
    }
    right.len = len;
    right.size = size;
    leaf.len -= len;
    leaf.size -= size;
    right.next = leaf.next;
    right.prev = leaf;
    if (leaf.next !== undefined) leaf.next.prev = right;
    else this.last = right;
    leaf.next = right;
    this.attach(leaf, right);
  }

  /** Puts `right`, split from `left`, after it in `left`'s parent. */
  private attach(left: Node<C>, right: Node<C>): void {
    let parent = left.parent;
    if (parent === undefined) {
      parent = new Branch<C>();
      parent.children = [left];
      parent.len = left.len + right.len;
      parent.size = left.size + right.size;
      left.parent = parent;
      this.root = parent;
    }
    right.parent = parent;
    parent.children.splice(parent.children.indexOf(left) + 1, 0, right);
    if (parent.children.length > MAX_CHILDREN) this.splitBranch(parent);
  }

  private splitBranch(branch: Branch<C>): void {
    const right = new Branch<C>();
    right.children = branch.children.splice(branch.children.length >> 1);
    let len = 0;
    let size = 0;
    for (const child of right.children) {
      child.parent = right;
      len += child.len;
      size += child.size;
    }
    right.len = len;
    right.size = size;
    branch.len -= len;
    branch.size -= size;
    this.attach(branch, right);
  }

  /**
   * Fills an empty tree with the spans linked from `head` (through {@link Span.link}), in
   * that order, in one pass: leaves {@link BUILD_FILL} spans full, then the branches above
   * them. Clears the links.
   */
  build(head: Span<C> | undefined): void {
    const all: Span<C>[] = [];
    for (let s = head; s !== undefined; ) {
      all.push(s);
      const next: Span<C> | undefined = s.link;
      s.link = undefined;
      s = next;
    }
    const leaves: Leaf<C>[] = [];
    for (let i = 0; i === 0 || i < all.length; i += BUILD_FILL) {
      const leaf = new Leaf<C>();
      leaf.spans = all.slice(i, i + BUILD_FILL);
      for (const s of leaf.spans) {
        s.leaf = leaf;
        leaf.size += s.len;
        if (!s.deleted) leaf.len += s.len;
      }
      leaves.push(leaf);
    }
    for (let i = 1; i < leaves.length; i++) {
      leaves[i - 1]!.next = leaves[i];
      leaves[i]!.prev = leaves[i - 1];
    }
    this.first = leaves[0]!;
    this.last = leaves[leaves.length - 1]!;
    let level: Node<C>[] = leaves;
    while (level.length > 1) {
      const up: Branch<C>[] = [];
      for (let i = 0; i < level.length; i += BUILD_FILL) {
        const branch = new Branch<C>();
        branch.children = level.slice(i, i + BUILD_FILL);
        for (const child of branch.children) {
          child.parent = branch;
          branch.len += child.len;
          branch.size += child.size;
        }
        up.push(branch);
      }
      level = up;
    }
    this.root = level[0]!;
    this.invalidate();
  }

  /** Every span in document order. */
  *spans(): IterableIterator<Span<C>> {
    for (let l: Leaf<C> | undefined = this.first; l !== undefined; l = l.next) yield* l.spans;
  }
}
