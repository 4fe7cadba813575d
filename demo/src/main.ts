/**
 * The demo page: opens the room's four documents with one `SyncClient` (stored in this
 * tab's IndexedDB database, so edits made offline survive a reload) and binds each to its
 * section. `data-ready="true"` on the app element says everything is open and drawn, and
 * the service worker that lets the page reload offline is active.
 */
import { LWWMap, List, PNCounter, Text } from '../../src/crdt/index.js';
import { SyncClient } from '../../src/sync/client.js';
import { IndexedDBStorage } from '../../src/sync/indexeddb-storage.js';
import { webStorageJournal, type SyncJournal } from '../../src/sync/journal.js';
import { MemoryStorage } from '../../src/sync/storage.js';
import { mountChat, type Message } from './chat.js';
import { mountCounter } from './counter.js';
import { byTestId } from './dom.js';
import { mountEditor } from './editor.js';
import { mountConnection, mountPresenceList } from './header.js';
import { readIdentity, tabDatabase } from './identity.js';
import { mountTodos, type Todo } from './todos.js';

async function start(app: HTMLElement): Promise<void> {
  const me = readIdentity(location.search, sessionStorage);
  byTestId(app, 'room', HTMLElement).textContent = me.room;
  document.title = `${me.room} · Tandem demo`;
  const database = IndexedDBStorage.available() ? await tabDatabase(sessionStorage) : undefined;
  const storage = database === undefined ? new MemoryStorage() : new IndexedDBStorage(database);
  // The journal keeps a change made right before a reload while IndexedDB is still writing it.
  const journal = database === undefined ? undefined : tabJournal(database);
  // A short backoff cap: a demo shows reconnection within seconds.
  const client = new SyncClient({ url: location.origin, storage, backoff: { cap: 3000 }, ...(journal === undefined ? {} : { journal }) });
  mountConnection(app, client, sessionStorage);
  client.on('error', (error) => console.warn('sync:', error.message));
  const [text, todos, chat, counter] = await Promise.all([
    client.open(`${me.room}/editor`, Text),
    client.open(`${me.room}/todos`, LWWMap<Todo>),
    client.open(`${me.room}/chat`, List<Message>),
    client.open(`${me.room}/counter`, PNCounter),
  ]);
  const presence = client.presence(`${me.room}/editor`);
  mountPresenceList(app, presence, me);
  mountEditor(app, text, presence, me);
  mountTodos(app, todos);
  mountChat(app, chat, me.name);
  mountCounter(app, counter);
  // Storage writes start at once; this only narrows the window in which a closing tab could lose one.
  addEventListener('pagehide', () => {
    client.flush().catch((error: unknown) => console.warn('the last changes may not be stored:', error));
  });
  await serviceWorker();
  app.dataset.ready = 'true';
}

/** The journal of the tab whose IndexedDB database is `database`, in localStorage; undefined where the browser forbids localStorage. */
function tabJournal(database: string): SyncJournal | undefined {
  try {
    return webStorageJournal(window.localStorage, `tandem-demo:${database}:`);
  } catch (error) {
    console.warn('no journal: a change made right before a reload may be lost', error);
    return undefined;
  }
}

/** Registers the service worker and waits (at most 5 s) until it is active. */
async function serviceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js');
    await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 5000))]);
  } catch (error) {
    console.warn('the page will not load offline: its service worker did not register', error);
  }
}

const app = byTestId(document, 'app', HTMLElement);
start(app).catch((error: unknown) => {
  const problem = byTestId(app, 'error', HTMLElement);
  problem.textContent = error instanceof Error ? error.message : String(error);
  problem.hidden = false;
});
