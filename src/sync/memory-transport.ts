/**
 * A transport that connects straight to a hub in the same process: frames are handed over
 * in order, each on a later microtask, as a network would. Tests use its switches to cut
 * connections, refuse new ones, or go silent without closing.
 */
import type { ConnectRequest, Transport, TransportConnection, TransportEvents } from './transport.js';

/** What {@link MemoryTransport} needs of a hub: `SyncHub` has it. */
export interface HubEndpoint {
  connect(peer: { send(frame: Uint8Array): void; close(): void }): { receive(frame: Uint8Array): void; closed(): void };
}

/** One live link between a client and the hub. */
interface Link {
  closed: boolean;
  events: TransportEvents;
  hub: { receive(frame: Uint8Array): void; closed(): void } | undefined;
}

/**
 * An in-memory transport to one hub (see {@link memoryTransport}).
 */
export class MemoryTransport implements Transport {
  /** @inheritDoc */
  readonly name = 'memory';
  /** When false, new connections fail to open, as when the server is unreachable. */
  reachable = true;
  /**
   * When true, frames in both directions are dropped, and the hub closing a connection is
   * not reported to the client: a dead network, which only heartbeats detect.
   */
  silent = false;
  private readonly links = new Set<Link>();

  constructor(private readonly hub: HubEndpoint) {}

  /** Number of connections open now. */
  get connections(): number {
    return this.links.size;
  }

  /** @inheritDoc */
  connect(_request: ConnectRequest, events: TransportEvents): TransportConnection {
    const link: Link = { closed: false, events, hub: undefined };
    later(() => {
      if (link.closed) return;
      if (!this.reachable) {
        link.closed = true;
        events.close(new Error('the hub is unreachable'));
        return;
      }
      this.links.add(link);
      link.hub = this.hub.connect({
        send: (frame) => {
          if (link.closed || this.silent) return;
          const copy = frame.slice();
          later(() => {
            if (!link.closed) events.frame(copy);
          });
        },
        close: () =>
          later(() => {
            // Over a dead network the client does not learn that the hub closed.
            if (this.silent) link.hub?.closed();
            else this.drop(link, new Error('the hub closed the connection'));
          }),
      });
      events.open();
    });
    return {
      send: (frame) => {
        if (link.closed || this.silent) return;
        const copy = frame.slice();
        later(() => {
          if (!link.closed) link.hub?.receive(copy);
        });
      },
      close: () => {
        if (link.closed) return;
        link.closed = true;
        this.links.delete(link);
        link.hub?.closed();
      },
    };
  }

  /** Cuts every open connection, as a network failure would: both ends see it close. */
  cut(): void {
    for (const link of [...this.links]) this.drop(link, new Error('the connection was cut'));
  }

  private drop(link: Link, error: Error): void {
    if (link.closed) return;
    link.closed = true;
    this.links.delete(link);
    link.hub?.closed();
    link.events.close(error);
  }
}

/**
 * A transport straight into `hub` (a `SyncHub`) in this process.
 * @example
 * const hub = new SyncHub({ store: new MemoryStore() });
 * const client = new SyncClient({ transports: [memoryTransport(hub)] });
 */
export function memoryTransport(hub: HubEndpoint): MemoryTransport {
  return new MemoryTransport(hub);
}

/** Runs `task` on a later microtask, like a delivery over a network. */
function later(task: () => void): void {
  void Promise.resolve().then(task);
}
