/**
 * The header: the connection status, the offline switch (pauses the client; kept for the
 * tab across reloads), the number of changes waiting to be sent, and who is here.
 */
import type { SyncClient } from '../../src/sync/client.js';
import type { DocumentPresence } from '../../src/sync/presence.js';
import { byTestId, element } from './dom.js';
import type { Identity } from './identity.js';
import { readPerson } from './people.js';

const OFFLINE_KEY = 'tandem-demo-offline';

/** Shows the status, the waiting changes and the switch; call at once, before the documents open. */
export function mountConnection(root: ParentNode, client: SyncClient, session: Storage): void {
  const status = byTestId(root, 'status', HTMLElement);
  const toggle = byTestId(root, 'offline-toggle', HTMLInputElement);
  const pending = byTestId(root, 'pending', HTMLElement);
  const showStatus = (): void => {
    // The library's `online` is shown as `connected`, which reads better beside `offline`.
    const shown = client.status === 'online' ? 'connected' : client.status;
    status.textContent = shown;
    status.dataset.status = client.status;
  };
  const showPending = (): void => {
    pending.textContent = String(client.pending);
  };
  client.on('status', showStatus);
  client.on('pending', showPending);
  toggle.checked = session.getItem(OFFLINE_KEY) === 'true';
  if (toggle.checked) client.pause();
  toggle.addEventListener('change', () => {
    session.setItem(OFFLINE_KEY, String(toggle.checked));
    if (toggle.checked) client.pause();
    else client.resume();
  });
  // The browser says the network is back: retry now rather than after the backoff.
  window.addEventListener('online', () => {
    if (!toggle.checked) client.resume();
  });
  // The browser says the network is gone: a connection can look alive until a heartbeat
  // or two go unanswered, so drop it now and let the client retry on its own schedule.
  window.addEventListener('offline', () => {
    if (toggle.checked) return;
    client.pause();
    client.resume();
  });
  showStatus();
  showPending();
}

/** Lists who is here: this person first (marked), then everyone else on the editor document. */
export function mountPresenceList(root: ParentNode, presence: DocumentPresence, me: Identity): void {
  const list = byTestId(root, 'presence-list', HTMLElement);
  const render = (): void => {
    const others = [...presence.peers.values()]
      .map(readPerson)
      .filter((person) => person !== undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const items = [{ name: me.name, color: me.color, self: true }, ...others.map((p) => ({ name: p.name, color: p.color, self: false }))];
    list.replaceChildren(
      ...items.map((person) => {
        const item = element('li', { testid: 'presence-user', text: person.name, attributes: { 'data-self': String(person.self) } });
        item.style.setProperty('--person', person.color);
        if (person.self) item.title = 'you';
        return item;
      }),
    );
  };
  presence.on('change', render);
  render();
}
