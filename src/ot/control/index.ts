/**
 * The OT control algorithm: {@link OTServer}, {@link OTClient} and {@link UndoManager},
 * generic over any type meeting {@link OTType}, exchanging the messages in `messages.ts`.
 * @packageDocumentation
 */
export {
  OTClient,
  type DocumentChange,
  type ChangeOrigin,
  type ClientState,
  type Connection,
  type LocalRejectReason,
  type OTClientOptions,
  type RejectEvent,
} from './client.js';
export { ProtocolError, type ProtocolErrorCode } from './errors.js';
export {
  readClientMessage,
  readServerMessage,
  type AckMessage,
  type ClientMessage,
  type Envelope,
  type HelloMessage,
  type OpMessage,
  type ReadyMessage,
  type Receipt,
  type RejectMessage,
  type RejectReason,
  type RemoteMessage,
  type RetryMessage,
  type ServerMessage,
  type SnapshotMessage,
} from './messages.js';
export { OTServer, type OTServerOptions } from './server.js';
export { invertAt, isInvertible, type OTType } from './type.js';
export { UndoManager, type UndoOptions } from './undo.js';
