/**
 * Putting a list's rows in a new order without moving the one that holds the focus (moving
 * an element blurs what has focus inside it). Pure over the few node members it uses, so
 * it runs without a DOM.
 */

/** A child of a list, as {@link arrange} walks it. */
export interface Sibling {
  readonly nextSibling: Sibling | null;
}

/** The parent {@link arrange} orders: a DOM element has these. */
export interface SiblingList<N extends Sibling> {
  readonly firstChild: Sibling | null;
  insertBefore(node: N, child: Sibling | null): unknown;
}

/**
 * Puts `parent`'s children in the order of `order` (which lists every child) without ever
 * moving `pinned`: each other child is moved, when it is not there yet, right after the
 * one before it in `order`.
 */
export function arrange<N extends Sibling>(parent: SiblingList<N>, order: readonly N[], pinned: N | undefined): void {
  let previous: N | undefined;
  for (const node of order) {
    if (node !== pinned) {
      const slot = previous === undefined ? parent.firstChild : previous.nextSibling;
      if (slot !== node) parent.insertBefore(node, slot);
    }
    previous = node;
  }
}
