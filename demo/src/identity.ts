/**
 * Who this page is and where: the room (`?room=`, default `lobby`), the display name
 * (`?user=`, else the one this tab used before, else a random animal; kept in
 * sessionStorage), a colour for the name, and the IndexedDB database this tab stores its
 * documents and outbox in.
 */
import { createReplicaId } from '../../src/crdt/clock/index.js';
import { answerClaims, claimedElsewhere, type ClaimChannel } from './tab-claim.js';

/** This page's room, person and colour. */
export interface Identity {
  readonly room: string;
  readonly name: string;
  readonly color: string;
}

const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Badger', 'Puffin', 'Gecko', 'Bison', 'Marten', 'Ibis', 'Newt', 'Walrus', 'Okapi', 'Quokka', 'Stoat', 'Wren', 'Yak'];
const ROOM = /^[A-Za-z0-9_.-]{1,40}$/;
const NAME_KEY = 'tandem-demo-user';
const TAB_KEY = 'tandem-demo-tab';
const CLAIMS = 'tandem-demo-tabs';
/** Every tab's database (and the Web Lock its page holds) is named this and its tab id. */
const PREFIX = 'tandem-demo-';

/**
 * Reads the room and name from the URL and the tab's session.
 * @throws {RangeError} when `?room=` or `?user=` is not allowed (the page shows why).
 */
export function readIdentity(search: string, session: Storage): Identity {
  const params = new URLSearchParams(search);
  const room = params.get('room') ?? 'lobby';
  if (!ROOM.test(room)) throw new RangeError(`?room= takes 1 to 40 letters, digits, '.', '_' or '-'; got ${JSON.stringify(room)}`);
  const given = params.get('user');
  if (given !== null && (given.trim() === '' || given.length > 40)) throw new RangeError('?user= takes a name of 1 to 40 characters');
  const name = given?.trim() ?? session.getItem(NAME_KEY) ?? `${ANIMALS[Math.floor(Math.random() * ANIMALS.length)]} ${Math.floor(Math.random() * 90 + 10)}`;
  session.setItem(NAME_KEY, name);
  return { room, name, color: colorOf(name) };
}

/** A colour for a name: the same name always gets the same hue. */
export function colorOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) >>> 0;
  return `hsl(${hash % 360} 70% 40%)`;
}

/**
 * The IndexedDB database of this tab: one per live tab, kept across reloads (its id lives
 * in sessionStorage), since two live clients must not share one client id. Each page
 * holds a Web Lock named after its database for its whole life. A reload waits briefly
 * for the page it replaces to let go and keeps the database; a duplicated tab (which
 * copies sessionStorage) finds the lock held; it and a new tab take over the database of
 * a closed tab when there is one (its lock is free: its outbox is sent, and databases do
 * not pile up with every tab ever opened), else a new one.
 * Outside a secure context (no Web Locks, no `crypto.randomUUID`) the pages ask each
 * other over a broadcast channel instead (`tab-claim.ts`), and nothing is taken over.
 */
export async function tabDatabase(session: Storage): Promise<string> {
  const given = session.getItem(TAB_KEY);
  let tab = given ?? createReplicaId();
  // Typed as always there, but only secure contexts have it.
  const locks = (navigator as { locks?: LockManager }).locks;
  if (locks !== undefined) {
    if (given === null || !(await hold(locks, `${PREFIX}${given}`, 2000))) tab = (await adopt(locks)) ?? (await fresh(locks));
  } else if (typeof BroadcastChannel === 'function') {
    const open = (): ClaimChannel => {
      const channel = new BroadcastChannel(CLAIMS);
      return {
        post: (message) => channel.postMessage(message),
        listen: (listener) => channel.addEventListener('message', (event) => listener(event.data)),
        close: () => channel.close(),
      };
    };
    while (await claimedElsewhere(open, tab, 250)) tab = createReplicaId();
    answerClaims(open, tab);
  }
  session.setItem(TAB_KEY, tab);
  return `${PREFIX}${tab}`;
}

/** The tab id of a closed tab's database, now held by this page; undefined when every one is in use. */
async function adopt(locks: LockManager): Promise<string | undefined> {
  // Not every browser lists its databases (Firefox before 126).
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases().catch(() => []) : [];
  for (const { name } of databases) {
    if (name === undefined || !name.startsWith(PREFIX)) continue;
    if (await hold(locks, name, 0)) return name.slice(PREFIX.length);
  }
  return undefined;
}

/** A new tab id, held by this page. */
async function fresh(locks: LockManager): Promise<string> {
  let tab = createReplicaId();
  while (!(await hold(locks, `${PREFIX}${tab}`, 0))) tab = createReplicaId();
  return tab;
}

/**
 * Takes the lock `name` until the page goes away; false when another page keeps it for
 * `wait` ms (0: only when it is free now).
 */
function hold(locks: LockManager, name: string, wait: number): Promise<boolean> {
  return new Promise((resolve) => {
    const granted = (lock: Lock | null): Promise<void> | undefined => {
      resolve(lock !== null);
      return lock === null ? undefined : new Promise<void>(() => {});
    };
    const request = wait === 0 ? locks.request(name, { ifAvailable: true }, granted) : locks.request(name, { signal: AbortSignal.timeout(wait) }, granted);
    request.catch(() => resolve(false));
  });
}
