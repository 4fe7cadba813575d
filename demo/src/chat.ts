/** The chat room: a `List` of `{ user, text, at }` messages, appended at the end, newest at the bottom. */
import type { List } from '../../src/crdt/index.js';
import { byTestId, element } from './dom.js';

/** One message as stored (a type, not an interface, so that it is a JSON value). */
export type Message = {
  readonly user: string;
  readonly text: string;
  /** When it was sent, ms since 1970 by the sender's clock. */
  readonly at: number;
};

/** Binds the page's chat section to `messages`, posting as `user`. */
export function mountChat(root: ParentNode, messages: List<Message>, user: string): void {
  const log = byTestId(root, 'chat-log', HTMLElement);
  const input = byTestId(root, 'chat-input', HTMLInputElement);
  const send = byTestId(root, 'chat-send', HTMLButtonElement);
  const render = (): void => {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    log.replaceChildren(
      ...messages
        .toArray()
        .map(readMessage)
        .filter((message) => message !== undefined)
        .map((message) =>
          element(
            'li',
            { testid: 'chat-message' },
            element('time', { text: new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
            ' ',
            element('b', { text: message.user }),
            `: ${message.text}`,
          ),
        ),
    );
    if (atBottom) log.scrollTop = log.scrollHeight;
  };
  const post = (): void => {
    const text = input.value.trim();
    if (text === '') return;
    messages.insert(messages.length, { user, text, at: Date.now() });
    input.value = '';
    log.scrollTop = log.scrollHeight;
  };
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) post();
  });
  send.addEventListener('click', post);
  messages.on('change', render);
  render();
}

function readMessage(value: unknown): Message | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { user, text, at } = value as Partial<Record<keyof Message, unknown>>;
  if (typeof user !== 'string' || typeof text !== 'string' || typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  return { user, text, at };
}
