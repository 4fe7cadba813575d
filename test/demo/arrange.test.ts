import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrange, type Sibling, type SiblingList } from '../../demo/src/arrange.js';
import { runs } from '../helpers/property.js';

/** A child of {@link FakeList}: its next sibling is read from the list. */
class FakeNode implements Sibling {
  constructor(
    readonly name: number,
    private readonly list: FakeList,
  ) {}
  get nextSibling(): FakeNode | null {
    const children = this.list.children;
    return children[children.indexOf(this) + 1] ?? null;
  }
}

/** A parent with DOM's insertBefore semantics, recording which nodes it moved. */
class FakeList implements SiblingList<FakeNode> {
  children: FakeNode[] = [];
  readonly moved: FakeNode[] = [];
  get firstChild(): FakeNode | null {
    return this.children[0] ?? null;
  }
  insertBefore(node: FakeNode, child: Sibling | null): void {
    this.moved.push(node);
    this.children = this.children.filter((c) => c !== node);
    const at = child === null ? this.children.length : this.children.indexOf(child as FakeNode);
    if (at < 0) throw new Error('the reference node is not a child');
    this.children.splice(at, 0, node);
  }
}

describe('demo todos: arranging the rows', () => {
  it('puts the rows in the wanted order and never moves the pinned one', () => {
    const shuffled = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n }), fc.shuffledSubarray([...Array(n).keys()], { minLength: n }), fc.option(fc.nat(n - 1))),
    );
    fc.assert(
      fc.property(shuffled, ([current, wanted, pin]) => {
        const list = new FakeList();
        const nodes = current.map((name) => new FakeNode(name, list));
        list.children = [...nodes];
        const byName = (name: number): FakeNode => nodes.find((node) => node.name === name)!;
        const pinned = pin === null ? undefined : byName(pin);
        arrange(list, wanted.map(byName), pinned);
        expect(list.children.map((node) => node.name)).toEqual(wanted);
        if (pinned !== undefined) expect(list.moved).not.toContain(pinned);
      }),
      runs(300),
    );
  });

  it('moves nothing when the rows are in order already', () => {
    const list = new FakeList();
    list.children = [0, 1, 2].map((name) => new FakeNode(name, list));
    arrange(list, [...list.children], undefined);
    expect(list.moved).toEqual([]);
  });

  it('moving the pinned row up a place moves the row it passes instead', () => {
    const list = new FakeList();
    const [a, b, c] = [0, 1, 2].map((name) => new FakeNode(name, list));
    list.children = [a!, b!, c!];
    arrange(list, [a!, c!, b!], c);
    expect(list.children).toEqual([a, c, b]);
    expect(list.moved).toEqual([b]);
  });
});
