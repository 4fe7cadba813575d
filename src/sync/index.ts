/**
 * Sync: the protocol that moves replicated and OT documents between clients and a
 * server, over any transport that carries bytes (`src/sync/README.md`).
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
