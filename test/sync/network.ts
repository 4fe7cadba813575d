/**
 * A seeded in-memory network between `SyncClient`s and one `SyncHub`, for property tests.
 *
 * Time is a counter the test advances with {@link Network.tick}. Each connection is two
 * FIFO queues (client → hub and hub → client), like one TCP stream: a frame gets a random
 * delay, but never overtakes an earlier frame of its queue, so frames of one connection
 * never reorder or repeat. Frames of different connections and clients interleave in any
 * order: every tick delivers the frames that are due, in a random order across queues.
 *
 * Faults, all driven by the seeded `random`:
 * - **cut** ({@link Network.cut}): a connection dies at once; whatever is in flight both
 *   ways is lost, and both ends see the close.
 * - **partition** ({@link Network.partition} / {@link Network.heal}): a node's connections
 *   are cut and its connection attempts fail until it is healed.
 * - **restart** ({@link Network.restart}): every connection dies and new ones reach a new
 *   hub (the test decides what its store kept).
 * - **slow storage** ({@link Network.after}): a wait of random ticks, for a store whose
 *   writes take a while, so acknowledgements that wait for durability are tested.
 * - **late duplicate** ({@link Network.replayLate}): a copy of an `update` frame the node
 *   sent on a connection that has since died is delivered on its live connection, as a
 *   misbehaving proxy might. It is renumbered to a `seq` the client never uses, so the
 *   hub's `ack` or `error` for it is meaningless to the client, and only the hub's merge
 *   is exercised: it must be idempotent.
 */
import { resolveLimits } from '../../src/codec/index.js';
import { decodeMessage, encodeMessage, type Message } from '../../src/sync/protocol.js';
import type { HubEndpoint } from '../../src/sync/memory-transport.js';
import type { ConnectRequest, Transport, TransportConnection, TransportEvents } from '../../src/sync/transport.js';

/** A uniform random number in [0, 1), from a seeded generator. */
export type Random = () => number;

/** How the simulated network behaves. */
export interface NetworkOptions {
  /** Largest delay of one frame or connection attempt, in ticks; each is uniform in [1, maxDelay]. */
  readonly maxDelay: number;
}

/** Counts of what the network did, to show a run exercised the faults. */
export interface NetworkStats {
  delivered: number;
  lost: number;
  cuts: number;
  refused: number;
  lateDuplicates: number;
}

/** A frame waiting in one direction of a connection. */
interface InFlight {
  readonly due: number;
  readonly frame: Uint8Array;
}

/** One direction of a connection: a FIFO queue whose frames arrive in order. */
class Stream {
  readonly queue: InFlight[] = [];
  /** When the last queued frame is due: a later frame is never due before it. */
  last = 0;
}

/** One connection between a node and the hub. */
class Link {
  alive = true;
  opened = false;
  hub: { receive(frame: Uint8Array): void; closed(): void } | undefined;
  readonly up = new Stream();
  readonly down = new Stream();
  /** Documents the hub answered `synced` for on this link: a replayed update for them is understood. */
  readonly synced = new Set<string>();
  /** Updates the client sent on this link, kept for late duplicates once it dies. */
  readonly updates: Message[] = [];
  constructor(
    readonly node: Node,
    readonly events: TransportEvents,
  ) {}
}

/** One simulated client machine: its transport, connections and partition state. */
class Node {
  partitioned = false;
  readonly links: Link[] = [];
  /** Late duplicates asked for and not yet queued. */
  replays = 0;
  /** Update messages sent on links that have died. */
  readonly dead: Message[] = [];
  constructor(readonly name: string) {}
}

/** A seeded network between any number of client nodes and one hub. */
export class Network {
  /** The current time, in ticks. */
  now = 0;
  /** What happened so far. */
  readonly stats: NetworkStats = { delivered: 0, lost: 0, cuts: 0, refused: 0, lateDuplicates: 0 };
  private readonly nodes = new Map<string, Node>();
  /** Waits started with {@link after}, by the tick they end at. */
  private readonly waits: { readonly due: number; readonly resolve: () => void }[] = [];
  /** Connection attempts waiting for their delay. */
  private readonly opening: { readonly due: number; readonly link: Link }[] = [];
  private readonly limits = resolveLimits({});

  constructor(
    private hub: HubEndpoint,
    private readonly random: Random,
    private readonly options: NetworkOptions,
  ) {
    if (!Number.isSafeInteger(options.maxDelay) || options.maxDelay < 1) throw new RangeError(`maxDelay must be an integer ≥ 1, got ${options.maxDelay}`);
  }

  /**
   * The transport of node `name` (created on first use): give it to that node's
   * `SyncClient`. Every connection it opens goes through this network.
   */
  transport(name: string): Transport {
    const node = this.node(name);
    return {
      name: 'simulated',
      connect: (_request: ConnectRequest, events: TransportEvents): TransportConnection => {
        const link = new Link(node, events);
        node.links.push(link);
        this.opening.push({ due: this.now + this.delay(), link });
        return {
          send: (frame) => {
            if (!link.alive || !link.opened) return;
            const copy = frame.slice();
            const message = decodeMessage(copy, this.limits);
            if (message.kind === 'update') link.updates.push(message);
            this.enqueue(link.up, copy);
          },
          close: () => {
            if (!link.alive) return;
            this.bury(link);
            link.hub?.closed();
          },
        };
      },
    };
  }

  /** Cuts one live connection of `name`, chosen at random; false when it has none. */
  cut(name: string): boolean {
    const live = this.node(name).links.filter((l) => l.alive && l.opened);
    const link = live[Math.floor(this.random() * live.length)];
    if (link === undefined) return false;
    this.stats.cuts++;
    this.drop(link, new Error('the connection was cut'));
    return true;
  }

  /** Cuts `name` off: its connections die and attempts fail until {@link heal}. */
  partition(name: string): void {
    const node = this.node(name);
    node.partitioned = true;
    for (const link of [...node.links]) {
      this.stats.cuts++;
      this.drop(link, new Error('the node is partitioned'));
    }
  }

  /**
   * The server restarted as `hub`: every connection dies (both ends see it close), and
   * new connections reach `hub`.
   */
  restart(hub: HubEndpoint): void {
    this.hub = hub;
    for (const node of this.nodes.values()) {
      for (const link of [...node.links]) {
        this.stats.cuts++;
        this.drop(link, new Error('the server restarted'));
      }
    }
  }

  /** Ends every partition. */
  heal(): void {
    for (const node of this.nodes.values()) node.partitioned = false;
  }

  /** Whether `name` is cut off now. */
  isPartitioned(name: string): boolean {
    return this.node(name).partitioned;
  }

  /**
   * Asks for a late duplicate on `name`: a copy of an update it sent on a connection
   * that has since died is queued onto a live connection of `name`, right after the hub
   * answers `synced` for that document there (at once when one already did). Waits for
   * such a pair, so the duplicate may come several reconnections later.
   */
  replayLate(name: string): void {
    const node = this.node(name);
    node.replays++;
    for (const link of node.links) for (const doc of link.synced) this.replay(link, doc);
  }

  /**
   * Resolves after a random delay of 1 to `longest` ticks (default `maxDelay`), among the
   * deliveries of that tick: a slow disk or service on the path.
   */
  after(longest = this.options.maxDelay): Promise<void> {
    return new Promise((resolve) => this.waits.push({ due: this.now + 1 + Math.floor(this.random() * longest), resolve }));
  }

  /** Whether nothing is in flight and no connection attempt is waiting. */
  get idle(): boolean {
    if (this.opening.length > 0 || this.waits.length > 0) return false;
    for (const node of this.nodes.values()) for (const link of node.links) if (link.up.queue.length > 0 || link.down.queue.length > 0) return false;
    return true;
  }

  /**
   * Advances time by one tick and delivers, in a random order across connections, every
   * frame and connection attempt now due, letting the receivers' promise chains run
   * between deliveries.
   */
  async tick(): Promise<void> {
    this.now++;
    for (;;) {
      const ready: (() => void)[] = [];
      for (const attempt of this.opening) if (attempt.due <= this.now) ready.push(() => this.open(attempt.link));
      for (const wait of this.waits) {
        if (wait.due <= this.now) {
          ready.push(() => {
            this.waits.splice(this.waits.indexOf(wait), 1);
            wait.resolve();
          });
        }
      }
      for (const node of this.nodes.values()) {
        for (const link of node.links) {
          if (link.up.queue[0] !== undefined && link.up.queue[0].due <= this.now) ready.push(() => this.deliverUp(link));
          if (link.down.queue[0] !== undefined && link.down.queue[0].due <= this.now) ready.push(() => this.deliverDown(link));
        }
      }
      const next = ready[Math.floor(this.random() * ready.length)];
      if (next === undefined) return;
      next();
      await flush();
    }
  }

  /** Queues a wanted late duplicate of an update to `doc` onto `link`, if `link`'s node has one. */
  private replay(link: Link, doc: string): void {
    const node = link.node;
    if (node.replays === 0 || !link.alive) return;
    const old = node.dead.filter((message) => message.kind === 'update' && message.doc === doc);
    const pick = old[Math.floor(this.random() * old.length)];
    if (pick === undefined || pick.kind !== 'update') return;
    node.replays--;
    this.stats.lateDuplicates++;
    // A seq this client never reaches, so the answer concerns nothing it has in flight.
    this.enqueue(link.up, encodeMessage({ ...pick, seq: 1_000_000_000 + this.stats.lateDuplicates }));
  }

  private node(name: string): Node {
    let node = this.nodes.get(name);
    if (node === undefined) this.nodes.set(name, (node = new Node(name)));
    return node;
  }

  private delay(): number {
    return 1 + Math.floor(this.random() * this.options.maxDelay);
  }

  private enqueue(stream: Stream, frame: Uint8Array): void {
    const due = Math.max(this.now + this.delay(), stream.last);
    stream.last = due;
    stream.queue.push({ due, frame });
  }

  private open(link: Link): void {
    const index = this.opening.findIndex((a) => a.link === link);
    this.opening.splice(index, 1);
    if (!link.alive) return;
    if (link.node.partitioned) {
      this.stats.refused++;
      this.bury(link);
      link.events.close(new Error('the hub is unreachable'));
      return;
    }
    link.opened = true;
    link.hub = this.hub.connect({
      send: (frame) => {
        if (!link.alive) return;
        const copy = frame.slice();
        const message = decodeMessage(copy, this.limits);
        this.enqueue(link.down, copy);
        if (message.kind === 'synced') {
          link.synced.add(message.doc);
          this.replay(link, message.doc);
        }
      },
      close: () => queueMicrotask(() => this.drop(link, new Error('the hub closed the connection'))),
    });
    link.events.open();
  }

  private deliverUp(link: Link): void {
    const head = link.up.queue.shift();
    if (head === undefined || !link.alive) return;
    this.stats.delivered++;
    link.hub?.receive(head.frame);
  }

  private deliverDown(link: Link): void {
    const head = link.down.queue.shift();
    if (head === undefined || !link.alive) return;
    this.stats.delivered++;
    link.events.frame(head.frame);
  }

  /** Kills a link from the network's side: both ends are told. */
  private drop(link: Link, error: Error): void {
    if (!link.alive) return;
    this.bury(link);
    link.hub?.closed();
    link.events.close(error);
  }

  /** Marks a link dead, loses what it carried, and keeps its updates for late duplicates. */
  private bury(link: Link): void {
    link.alive = false;
    this.stats.lost += link.up.queue.length + link.down.queue.length;
    link.up.queue.length = 0;
    link.down.queue.length = 0;
    link.node.dead.push(...link.updates);
    const node = link.node;
    const index = node.links.indexOf(link);
    if (index >= 0) node.links.splice(index, 1);
  }
}

/** Lets every queued promise reaction run (a macrotask boundary). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
