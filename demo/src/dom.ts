/** The page's two DOM needs: build an element, and find one by its `data-testid`. */

/** What {@link element} sets on a new element. */
export interface ElementSpec {
  readonly testid?: string;
  readonly className?: string;
  readonly text?: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A new `<tag>` with `spec` applied and `children` appended. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, spec: ElementSpec = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (spec.testid !== undefined) node.dataset.testid = spec.testid;
  if (spec.className !== undefined) node.className = spec.className;
  if (spec.text !== undefined) node.textContent = spec.text;
  for (const [name, value] of Object.entries(spec.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * The element under `root` whose `data-testid` is `testid`, checked to be a `Type`.
 * @throws {Error} when there is none or it is another kind of element (the page and the code disagree).
 */
export function byTestId<T extends Element>(root: ParentNode, testid: string, Type: new () => T): T {
  const found = root.querySelector(`[data-testid="${testid}"]`);
  if (!(found instanceof Type)) throw new Error(`the page has no ${Type.name} with data-testid="${testid}"`);
  return found;
}
