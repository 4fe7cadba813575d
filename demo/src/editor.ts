/**
 * The shared plain-text editor: a `<textarea>` bound to a `Text`, and the other people's
 * carets drawn on a mirror layer over it.
 *
 * Local input is diffed against the value last shown (`spliceBetween`) and applied as one
 * delete and one insert. A remote change is applied to the textarea at once, moving the
 * selection through its delta, except while an IME composes: the textarea then keeps the
 * composition, the deltas wait, and when it ends the local splice is moved through them
 * before it is applied. This person's caret is shared as an anchor, which stays on its
 * character whatever the others type; theirs are resolved in this replica's text.
 */
import type { Anchor, DeltaOp, Text } from '../../src/crdt/index.js';
import type { DocumentPresence } from '../../src/sync/presence.js';
import { byTestId, element } from './dom.js';
import type { Identity } from './identity.js';
import { personState, readPerson } from './people.js';
import { applySplice, spliceBetween, transformThrough, type Splice } from './text-diff.js';

/** Binds the page's editor to `text` and shares this person's caret through `presence`. */
export function mountEditor(root: ParentNode, text: Text, presence: DocumentPresence, me: Identity): void {
  const textarea = byTestId(root, 'editor', HTMLTextAreaElement);
  const layer = byTestId(root, 'cursor-layer', HTMLElement);
  const cursors = new RemoteCursors(textarea, layer, text, presence);
  const binding = new EditorBinding(textarea, text, () => {
    publishCaret();
    cursors.render();
  });

  let lastShared = '';
  let sharing = false;
  /** Shares the caret (coalesced to one message per task), as an anchor in the text. */
  const publishCaret = (): void => {
    if (sharing) return;
    sharing = true;
    setTimeout(() => {
      sharing = false;
      if (binding.composing) return;
      const caret = textarea.selectionDirection === 'backward' ? textarea.selectionStart : textarea.selectionEnd;
      let cursor: Anchor;
      try {
        cursor = text.anchor(Math.min(caret, text.length), 'before');
      } catch {
        return; // Between the halves of a surrogate pair for a moment: the next event shares it.
      }
      const state = personState({ ...me, cursor });
      const key = JSON.stringify(state);
      if (key === lastShared) return;
      lastShared = key;
      presence.set(state);
    }, 0);
  };
  for (const event of ['select', 'keyup', 'mouseup', 'focus']) textarea.addEventListener(event, publishCaret);
  document.addEventListener('selectionchange', () => {
    if (document.activeElement === textarea) publishCaret();
  });
  publishCaret();
}

/** Keeps a textarea and a `Text` equal; see the file comment. */
class EditorBinding {
  /** The value the textarea had when it last agreed with the text. */
  private shown: string;
  /** Remote deltas applied to the text since `shown`, waiting for a composition to end. */
  private readonly waiting: DeltaOp<string>[][] = [];
  composing = false;

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    private readonly text: Text,
    private readonly changed: () => void,
  ) {
    this.shown = text.toString();
    textarea.value = this.shown;
    textarea.addEventListener('input', (event) => {
      if (!(event instanceof InputEvent && event.isComposing)) this.sync();
      else this.changed();
    });
    textarea.addEventListener('compositionstart', () => {
      this.composing = true;
    });
    textarea.addEventListener('compositionend', () => {
      this.composing = false;
      this.sync();
    });
    text.on('change', (change) => {
      if (change.origin !== 'remote') return;
      this.waiting.push([...change]);
      if (!this.composing) this.sync();
      else this.changed();
    });
  }

  /** Applies the textarea's edit since `shown` to the text, then shows the text with the selection moved. */
  private sync(): void {
    const { textarea, text } = this;
    const value = textarea.value;
    const local = spliceBetween(this.shown, value, textarea.selectionEnd);
    const start = this.move(textarea.selectionStart, local);
    const end = this.move(textarea.selectionEnd, local);
    if (local !== undefined) {
      try {
        // Refused whole (a lone surrogate from a broken paste): the text is shown as it is.
        if (!applySplice(text, local, this.waiting)) console.error('the edit was not applied: it holds a lone surrogate, which has no UTF-8 form');
      } catch (error) {
        console.error('the edit was not applied:', error);
      }
    }
    this.waiting.length = 0;
    this.shown = text.toString();
    if (textarea.value !== this.shown) {
      const { scrollTop, selectionDirection } = textarea;
      textarea.value = this.shown;
      textarea.setSelectionRange(Math.min(start, this.shown.length), Math.min(end, this.shown.length), selectionDirection);
      textarea.scrollTop = scrollTop;
    }
    this.changed();
  }

  /**
   * Where `index` of the textarea's value stands in the text once `local` (the splice
   * from `shown` to that value) and the waiting remote deltas are both applied.
   */
  private move(index: number, local: Splice | undefined): number {
    if (local === undefined || index <= local.index) return transformThrough(index, this.waiting, 'before');
    const inserted = local.insert.length;
    const from = transformThrough(local.index, this.waiting, 'after');
    // Inside the inserted text: the same offset from where it lands.
    if (index <= local.index + inserted) return from + (index - local.index);
    // After it: as the matching index of `shown`, moved, then shifted by what the edit changed there.
    const to = Math.max(from, transformThrough(local.index + local.remove, this.waiting, 'before'));
    return transformThrough(index - inserted + local.remove, this.waiting, 'before') - (to - from) + inserted;
  }
}

/** The other people's carets, drawn on a layer that mirrors the textarea's text and wrapping. */
class RemoteCursors {
  private readonly mirror: HTMLDivElement;

  constructor(
    private readonly textarea: HTMLTextAreaElement,
    layer: HTMLElement,
    private readonly text: Text,
    private readonly presence: DocumentPresence,
  ) {
    this.mirror = element('div', { className: 'mirror' });
    layer.replaceChildren(this.mirror);
    presence.on('change', () => this.render());
    text.on('change', () => this.render());
    textarea.addEventListener('scroll', () => this.scroll());
    new ResizeObserver(() => this.render()).observe(textarea);
    this.render();
  }

  render(): void {
    const { textarea, mirror } = this;
    mirror.style.width = `${textarea.clientWidth}px`;
    mirror.style.top = `${textarea.clientTop}px`;
    mirror.style.left = `${textarea.clientLeft}px`;
    // The mirror lays out what the textarea shows; indexes are the text's (they agree
    // except during a composition, when a caret may be drawn a few characters off).
    const shown = textarea.value;
    const carets: { index: number; name: string; color: string }[] = [];
    for (const state of this.presence.peers.values()) {
      const person = readPerson(state);
      if (person === undefined) continue;
      let index: number | undefined;
      try {
        index = this.text.resolve(person.cursor);
      } catch {
        index = undefined;
      }
      // Undefined: the character it binds to has not arrived yet; it is drawn once it has.
      if (index !== undefined) carets.push({ index: Math.min(index, shown.length), name: person.name, color: person.color });
    }
    carets.sort((a, b) => a.index - b.index);
    const parts: Node[] = [];
    let at = 0;
    for (const caret of carets) {
      parts.push(document.createTextNode(shown.slice(at, caret.index)));
      at = caret.index;
      const mark = element('span', { testid: 'remote-cursor', className: 'remote-cursor', attributes: { 'data-user': caret.name } }, element('span', { className: 'remote-cursor-name', text: caret.name }));
      mark.style.setProperty('--person', caret.color);
      parts.push(mark);
    }
    // A trailing newline needs a character after it to take up its line.
    parts.push(document.createTextNode(`${shown.slice(at)}\u200b`));
    mirror.replaceChildren(...parts);
    // A name above a caret on the first line would be cut off: show it below instead.
    for (const mark of mirror.querySelectorAll<HTMLElement>('.remote-cursor')) mark.classList.toggle('first-line', mark.offsetTop < mark.offsetHeight);
    this.scroll();
  }

  private scroll(): void {
    this.mirror.style.transform = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
  }
}
