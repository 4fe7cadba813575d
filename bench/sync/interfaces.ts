/**
 * The contract of the fan-out benchmark: a sync stack (a server and its client) that
 * keeps one shared text in step between a writer and many subscribers on loopback.
 *
 * ```ts
 * const server = await startServer('tandem');           // a child process
 * const writer = await stack.connect(server.url, 'doc');
 * const reader = await stack.connect(server.url, 'doc');
 * reader.onChange(() => reader.length());                // fires on each remote change
 * writer.append('0001;');                                // a local edit, sent at once
 * ```
 */

/**
 * The stacks compared: Tandem's server on LevelDB and on memory with `SyncClient`, on
 * LevelDB with a minimal protocol client, and y-websocket's server with Yjs.
 */
export type Stack = 'tandem' | 'tandem-memory' | 'tandem-protocol' | 'y-websocket';

/** Every stack, in the order the table lists them. */
export const STACKS: readonly Stack[] = ['tandem', 'tandem-memory', 'tandem-protocol', 'y-websocket'];

/** How each stack is named in output. */
export const STACK_NAMES: Readonly<Record<Stack, string>> = {
  tandem: 'Tandem SyncServer, LevelDB store (fsync before ack and forward), SyncClient',
  'tandem-memory': 'Tandem SyncServer, MemoryStore, SyncClient',
  'tandem-protocol': 'Tandem SyncServer, LevelDB store, minimal protocol client (no client storage)',
  'y-websocket': 'y-websocket server (setupWSConnection, in memory)',
};

/** One connected replica of the shared text. */
export interface Replica {
  /** The text's length in UTF-16 code units. */
  length(): number;
  /** Calls `listener` after every change the replica applies from the server. */
  onChange(listener: () => void): void;
  /** Appends `text` at the end, locally; the stack sends it on its own. */
  append(text: string): void;
  /** Resolves once the server has everything this replica made (for stacks that can say so). */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

/** A client stack: opens replicas of a named document against a server URL. */
export interface ClientStack {
  connect(url: string, doc: string): Promise<Replica>;
}
