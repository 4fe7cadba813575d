/**
 * A seeded model of clients talking to one server: a FIFO queue per link direction, any
 * queue delivered next (random delays per link, order kept within a link), disconnects
 * that deliver some prefix of a client's unsent messages and drop the rest, reconnects,
 * and history pruning.
 */
import {
  OTClient,
  OTServer,
  type ClientMessage,
  type OTServerOptions,
  type OTType,
  type RejectEvent,
  type ServerMessage,
} from '../../../src/ot/control/index.js';
import type { Adapter } from './doubles.js';

interface Link<S, O> {
  up: ClientMessage<O>[];
  down: ServerMessage<O>[];
  open: boolean;
}

export class Network<S, O> {
  readonly server: OTServer<S, O>;
  readonly clients: OTClient<S, O>[] = [];
  readonly links: Link<S, O>[] = [];
  readonly rejections: RejectEvent<O>[][] = [];
  /** Every message delivered, for debugging a failure. */
  delivered = 0;
  /** Every op message a client has sent, for replaying copies. */
  readonly sent: ClientMessage<O>[] = [];

  /** `serverType` defaults to the adapter's type; a stricter one makes the server reject ops. */
  constructor(
    readonly adapter: Adapter<S, O>,
    count: number,
    options: OTServerOptions<S> = {},
    serverType: OTType<S, O> = adapter.type,
  ) {
    this.server = new OTServer(serverType, options);
    for (let i = 0; i < count; i++) {
      const link: Link<S, O> = { up: [], down: [], open: false };
      this.links.push(link);
      this.rejections.push([]);
      const client = new OTClient(adapter.type, {
        client: `c${i}`,
        send: (message) => {
          if (message.kind === 'op') this.sent.push(message);
          if (link.open) link.up.push(message);
        },
        snapshot: this.server.snapshot,
        revision: this.server.revision,
      });
      client.on('reject', (event) => this.rejections[i]!.push(event));
      this.clients.push(client);
      this.connect(i);
    }
  }

  connect(i: number): void {
    const link = this.links[i]!;
    if (link.open) return;
    link.open = true;
    link.up = [];
    link.down = [];
    this.clients[i]!.connected();
  }

  /** Closes client i's link after delivering the first `reached` of its unsent messages. */
  disconnect(i: number, reached: number): void {
    const link = this.links[i]!;
    if (!link.open) return;
    const arrived = link.up.slice(0, reached);
    link.open = false;
    link.up = [];
    link.down = [];
    for (const message of arrived) this.toServer(message);
    this.server.leave(`c${i}`);
    this.clients[i]!.disconnected();
  }

  /**
   * Delivers a copy of an op message sent earlier, as a network that duplicates, or an old
   * connection that delivers late, would.
   */
  replay(pick: number): void {
    // Mostly recent copies: those are the ones the server may not have processed yet.
    const n = this.sent.length;
    if (n > 0) this.toServer(this.sent[pick % 2 === 0 ? n - 1 - ((pick >> 1) % Math.min(n, 4)) : (pick >> 1) % n]!);
  }

  /** The non-empty queues, as [client, direction]. */
  busy(): [number, 'up' | 'down'][] {
    const out: [number, 'up' | 'down'][] = [];
    this.links.forEach((link, i) => {
      if (link.up.length > 0) out.push([i, 'up']);
      if (link.down.length > 0) out.push([i, 'down']);
    });
    return out;
  }

  /** Delivers the next message of one queue, chosen by `pick` among the busy ones. */
  step(pick: number): boolean {
    const busy = this.busy();
    if (busy.length === 0) return false;
    const [i, direction] = busy[pick % busy.length]!;
    const link = this.links[i]!;
    this.delivered++;
    if (direction === 'up') this.toServer(link.up.shift()!);
    else this.clients[i]!.receive(link.down.shift()!);
    return true;
  }

  private toServer(message: ClientMessage<O>): void {
    for (const { to, message: reply } of this.server.receive(message)) {
      const link = this.links[Number(to.slice(1))]!;
      if (link.open) link.down.push(reply);
    }
  }

  /** Reconnects everyone and delivers until nothing moves; throws if that never happens. */
  settle(pick: () => number = () => 0, limit = 100_000): void {
    this.links.forEach((_, i) => this.connect(i));
    for (let n = 0; n < limit; n++) if (!this.step(pick())) return;
    throw new Error(`network did not settle within ${limit} deliveries`);
  }
}
