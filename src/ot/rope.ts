/**
 * A mutable plain-text document for long editing sessions: a B-tree of text chunks, so
 * that applying an op costs O(k log n + k · chunk) for an op of k components on a
 * document of n code units, instead of the O(n) copy a string needs per edit.
 */
import { isWellFormed } from '../codec/index.js';
import { Kind, checkArray, checkComponent, splitsPair } from './component.js';
import { OTError } from './errors.js';
import type { TextOp } from './text/types.js';

/** Longest chunk of text a leaf holds before it splits. */
const MAX_LEAF = 1024;
/** Most children an inner node holds before it splits. */
const MAX_CHILDREN = 32;

/** A leaf holds `text`; an inner node holds `children`. `length` is in UTF-16 code units. */
class Node {
  constructor(
    public length: number,
    public text: string,
    public children: Node[] | undefined,
  ) {}
}

function leaves(text: string): Node[] {
  const out: Node[] = [];
  const size = MAX_LEAF / 2;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    if (splitsPair(text, end)) end++;
    out.push(new Node(end - start, text.slice(start, end), undefined));
    start = end;
  }
  return out;
}

/** Groups nodes under as few parents as the fan-out allows, level by level, into one root. */
function build(nodes: Node[]): Node {
  while (nodes.length > 1) {
    const parents: Node[] = [];
    for (let i = 0; i < nodes.length; i += MAX_CHILDREN) parents.push(parent(nodes.slice(i, i + MAX_CHILDREN)));
    nodes = parents;
  }
  return nodes[0] ?? new Node(0, '', undefined);
}

function parent(children: Node[]): Node {
  let length = 0;
  for (const child of children) length += child.length;
  return new Node(length, '', children);
}

/** Inserts `text` at `index` of `node`; returns the siblings that must follow `node` when it split. */
function insertAt(node: Node, index: number, text: string): Node[] | undefined {
  node.length += text.length;
  const children = node.children;
  if (children === undefined) {
    const joined = node.text.slice(0, index) + text + node.text.slice(index);
    if (joined.length <= MAX_LEAF) {
      node.text = joined;
      return undefined;
    }
    const [first, ...rest] = leaves(joined);
    node.text = first!.text;
    node.length = first!.length;
    return rest;
  }
  let i = 0;
  while (i < children.length - 1 && index > children[i]!.length) index -= children[i++]!.length;
  const extra = insertAt(children[i]!, index, text);
  if (extra === undefined) return undefined;
  children.splice(i + 1, 0, ...extra);
  if (children.length <= MAX_CHILDREN) return undefined;
  const groups: Node[] = [];
  for (let j = MAX_CHILDREN / 2; j < children.length; j += MAX_CHILDREN / 2) {
    groups.push(parent(children.slice(j, j + MAX_CHILDREN / 2)));
  }
  children.length = MAX_CHILDREN / 2;
  node.length = 0;
  for (const child of children) node.length += child.length;
  return groups;
}

/** Removes `count` code units from `index` of `node`. */
function deleteAt(node: Node, index: number, count: number): void {
  node.length -= count;
  const children = node.children;
  if (children === undefined) {
    node.text = node.text.slice(0, index) + node.text.slice(index + count);
    return;
  }
  let i = 0;
  while (index >= children[i]!.length) index -= children[i++]!.length;
  while (count > 0) {
    const child = children[i]!;
    const n = Math.min(count, child.length - index);
    if (n === child.length) children.splice(i, 1);
    else {
      deleteAt(child, index, n);
      i++;
    }
    count -= n;
    index = 0;
  }
}

function collect(node: Node, out: string[]): void {
  if (node.children === undefined) out.push(node.text);
  else for (const child of node.children) collect(child, out);
}

/**
 * A plain-text document held as a B-tree of chunks of at most 1 KiB, edited in place by
 * text ops. Use it where a document lives long and receives many ops (a server holding a
 * document, an editor replaying history); `text.apply` on a string suits short-lived
 * documents.
 *
 * @example
 * const doc = new Rope('hello');
 * doc.apply([{ retain: 5 }, { insert: ', world' }]);
 * doc.toString(); // 'hello, world'
 */
export class Rope {
  private root: Node;

  /**
   * @throws {OTError} `lone-surrogate` when `text` holds half a surrogate pair.
   */
  constructor(text = '') {
    if (typeof text !== 'string') throw new OTError('bad-argument', 'a rope starts from a string');
    if (!isWellFormed(text)) throw new OTError('lone-surrogate', 'the text holds a lone surrogate');
    this.root = build(leaves(text));
  }

  /** Length of the document in UTF-16 code units. */
  get length(): number {
    return this.root.length;
  }

  /** The UTF-16 code unit at `index`, or NaN outside the document. */
  charCodeAt(index: number): number {
    if (!(index >= 0 && index < this.root.length)) return NaN;
    let node = this.root;
    while (node.children !== undefined) {
      let i = 0;
      while (index >= node.children[i]!.length) index -= node.children[i++]!.length;
      node = node.children[i]!;
    }
    return node.text.charCodeAt(index);
  }

  /** Whether `index` lies between the two halves of a surrogate pair. */
  private splits(index: number): boolean {
    const unit = this.charCodeAt(index);
    if (!(unit >= 0xdc00 && unit <= 0xdfff)) return false;
    const before = this.charCodeAt(index - 1);
    return before >= 0xd800 && before <= 0xdbff;
  }

  /**
   * Applies `op` in place. The whole op is checked first, so a refused op leaves the
   * document untouched.
   * @throws {OTError} when `op` is malformed or does not fit the document (the rules of
   *   `text.validate`).
   */
  apply(op: TextOp): this {
    checkArray(op);
    let base = 0;
    for (let i = 0; i < op.length; i++) {
      const c = op[i];
      if (checkComponent(c, i, false) === Kind.Insert) continue;
      base += 'retain' in c! ? c.retain : (c as { delete: number }).delete;
      if (base > this.root.length) {
        throw new OTError('length-mismatch', `the op reaches position ${base} of a document of length ${this.root.length}`, i);
      }
      if (this.splits(base)) throw new OTError('splits-surrogate', `position ${base} lies between the two halves of a surrogate pair`, i);
    }
    let position = 0;
    for (const c of op) {
      if ('retain' in c) position += c.retain;
      else if ('insert' in c) {
        this.insertText(position, c.insert);
        position += c.insert.length;
      } else this.deleteText(position, c.delete);
    }
    return this;
  }

  private insertText(index: number, text: string): void {
    const extra = insertAt(this.root, index, text);
    if (extra !== undefined) this.root = build([this.root, ...extra]);
  }

  private deleteText(index: number, count: number): void {
    deleteAt(this.root, index, count);
    while (this.root.children !== undefined && this.root.children.length === 1) this.root = this.root.children[0]!;
    if (this.root.children !== undefined && this.root.children.length === 0) this.root = new Node(0, '', undefined);
  }

  /** The whole document as one string. */
  toString(): string {
    const out: string[] = [];
    collect(this.root, out);
    return out.join('');
  }
}
