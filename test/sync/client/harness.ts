/** Shared set-up for client tests: a hub over a MemoryStore, and clients over the in-memory transport. */
import { resolveLimits } from '../../../src/codec/index.js';
import { decodeMessage, encodeMessage } from '../../../src/sync/protocol.js';
import { MemoryStore } from '../../../src/sync/store.js';
import { SyncHub, type HubOptions } from '../../../src/sync/hub.js';
import { MemoryStorage, type ClientStorage } from '../../../src/sync/storage.js';
import { SyncClient, type SyncClientOptions } from '../../../src/sync/client.js';
import { MemoryTransport, type HubEndpoint } from '../../../src/sync/memory-transport.js';

/** A hub endpoint that counts the messages clients send it, and can drop its replies. */
export class LossyHub implements HubEndpoint {
  /** When true, frames from the hub to clients are lost. */
  dropReplies = false;
  /** When true, every update from a client arrives with a broken checksum. */
  corruptUpdates = false;
  /** Messages received from clients, by kind. */
  readonly received = new Map<string, number>();
  constructor(private readonly hub: SyncHub) {}
  connect(peer: { send(frame: Uint8Array): void; close(): void }) {
    const connection = this.hub.connect({
      send: (frame) => {
        if (!this.dropReplies) peer.send(frame);
      },
      close: () => peer.close(),
    });
    return {
      receive: (frame: Uint8Array) => {
        const message = decodeMessage(frame, resolveLimits({}));
        this.received.set(message.kind, (this.received.get(message.kind) ?? 0) + 1);
        if (this.corruptUpdates && message.kind === 'update') {
          const update = message.update.slice();
          update[update.length - 1]! ^= 0xff;
          connection.receive(encodeMessage({ ...message, update }));
          return;
        }
        connection.receive(frame);
      },
      closed: () => connection.closed(),
    };
  }
  count(kind: string): number {
    return this.received.get(kind) ?? 0;
  }
}

export interface Connected {
  readonly client: SyncClient;
  readonly transport: MemoryTransport;
  readonly storage: ClientStorage;
}

export interface World {
  readonly store: MemoryStore;
  readonly hub: SyncHub;
  readonly lossy: LossyHub;
  client(options?: Partial<SyncClientOptions>): Connected;
  close(): Promise<void>;
}

export function world(options: Partial<HubOptions> = {}): World {
  const store = new MemoryStore();
  const hub = new SyncHub({ store, ...options });
  const lossy = new LossyHub(hub);
  const clients: SyncClient[] = [];
  return {
    store,
    hub,
    lossy,
    client(extra = {}) {
      const transport = new MemoryTransport(lossy);
      const storage = extra.storage ?? new MemoryStorage();
      const client = new SyncClient({ transports: [transport], backoff: { base: 5, cap: 20 }, handshakeTimeout: 100, ...extra, storage });
      clients.push(client);
      return { client, transport, storage };
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await hub.close();
    },
  };
}

/** Waits until `condition` holds, polling on macrotasks; fails after `ms`. */
export async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets queued microtasks and short timers run. */
export function settle(ms = 10): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
