/**
 * Sync: the protocol between clients and a server, and `SyncClient`, which keeps
 * replicated and OT documents in sync offline first, with presence and an action relay.
 * Runs in browsers and Node; the Node server is `tandem/server`.
 * @packageDocumentation
 */
export * from './protocol.js';
export { MemoryStore, type DocumentStore, type StoredDocument, type StoredEntry } from './store.js';
export {
  DOCUMENT_TYPES,
  OT_TYPES,
  SyncHub,
  type Access,
  type Authorize,
  type AuthorizeRequest,
  type ChannelOptions,
  type HubConnection,
  type HubLimits,
  type HubOptions,
  type Peer,
} from './hub.js';
export { SyncClient, type ClientStatus, type ReplicatedClass, type SyncClientEvents, type SyncClientOptions } from './client.js';
export { SyncClientError, type ClientErrorCode, type SessionPhase } from './session.js';
export { MemoryStorage, type ClientStorage } from './storage.js';
export { MemoryJournal, webStorageJournal, type SyncJournal, type WebStorageLike } from './journal.js';
export { IndexedDBStorage, type IDBFactoryLike } from './indexeddb-storage.js';
export type { ConnectRequest, Transport, TransportConnection, TransportEvents } from './transport.js';
export { MemoryTransport, memoryTransport, type HubEndpoint } from './memory-transport.js';
export { webSocketTransport, platformWebSocket, type WebSocketConstructor, type WebSocketLike } from './websocket-transport.js';
export { sseTransport, platformFetch, concatRecords, splitRecords, decodeBase64, type FetchFunction, type FetchResponse } from './sse-transport.js';
export { EventStreamParser, type StreamEvent } from './event-stream.js';
export { backoffDelay, backoffCeiling, resolveBackoff, type BackoffOptions, type ResolvedBackoff } from './backoff.js';
export { DocumentPresence, type PeerStates } from './presence.js';
export { Channel, type AppAction } from './channel.js';
export { OTDocument, OTTextDocument, OTRichTextDocument } from './ot-document.js';
