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
 * The IndexedDB database of this tab: one per tab, kept across reloads (its id lives in
 * sessionStorage), since two live clients must not share one client id. A duplicated
 * tab copies sessionStorage; a Web Lock held for the page's life tells the copy apart,
 * and it takes a new id. A reload waits briefly for the page it replaces to let go.
 * Outside a secure context (no Web Locks, no `crypto.randomUUID`) the pages ask each
 * other over a broadcast channel instead (`tab-claim.ts`).
 */
export async function tabDatabase(session: Storage): Promise<string> {
  let tab = session.getItem(TAB_KEY) ?? createReplicaId();
  // Typed as always there, but only secure contexts have it.
  const locks = (navigator as { locks?: LockManager }).locks;
  if (locks !== undefined) {
    while (!(await hold(locks, `tandem-demo-${tab}`))) tab = createReplicaId();
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
  return `tandem-demo-${tab}`;
}

/** Takes the lock `name` until the page goes away; false when another page keeps it for 2 s. */
function hold(locks: LockManager, name: string): Promise<boolean> {
  return new Promise((resolve) => {
    locks
      .request(name, { signal: AbortSignal.timeout(2000) }, () => {
        resolve(true);
        return new Promise<void>(() => {});
      })
      .catch(() => resolve(false));
  });
}
