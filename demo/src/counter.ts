/** The shared counter: a `PNCounter` with + and − buttons. */
import type { PNCounter } from '../../src/crdt/index.js';
import { byTestId } from './dom.js';

/** Binds the page's counter section to `counter`. */
export function mountCounter(root: ParentNode, counter: PNCounter): void {
  const value = byTestId(root, 'counter-value', HTMLElement);
  byTestId(root, 'counter-increment', HTMLButtonElement).addEventListener('click', () => counter.increment());
  byTestId(root, 'counter-decrement', HTMLButtonElement).addEventListener('click', () => counter.decrement());
  const render = (): void => {
    value.textContent = String(counter.value);
  };
  counter.on('change', render);
  render();
}
