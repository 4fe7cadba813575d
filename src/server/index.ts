/**
 * `tandem/server`: the Node sync server (WebSocket, SSE fallback, `/healthz`) over a
 * durable LevelDB store, and `FileStorage`, a `SyncClient`'s storage in files. Node only;
 * the server needs the optional packages `ws` and (for the default store) `classic-level`.
 * Nothing in the core imports this folder.
 */
export { SyncServer, type ListenOptions, type ServerAddress, type ServerLimits, type ServerLogger, type SyncServerOptions } from './server.js';
export { LEVEL_STORE_FORMAT, LevelStore } from './level-store.js';
export { FileStorage } from './file-storage.js';
export { SyncHub, type Access, type Authorize, type AuthorizeRequest, type ChannelOptions, type HubLimits } from '../sync/hub.js';
export { MemoryStore, type DocumentStore, type StoredDocument, type StoredEntry } from '../sync/store.js';
