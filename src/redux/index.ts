/**
 * Redux: `bindSlices` keeps chosen slices of a store in Tandem maps, one entry per entity,
 * and `actionRelay` relays chosen actions through a `tandem/sync` channel. Redux is used
 * for its types only, so this entry point adds no runtime dependency.
 * @packageDocumentation
 */
export { ReduxBindingError, type ReduxBindingErrorCode } from './errors.js';
export { arraySlice, entityStateSlice, recordSlice, type Entities, type EntityChanges, type SliceAdapter } from './adapter.js';
export {
  REMOTE_CHANGE,
  bindSlices,
  isRemoteChange,
  type BindSlicesOptions,
  type BoundSlices,
  type EntityDocument,
  type RemoteChangeAction,
  type SliceBinding,
  type SliceBindings,
} from './slices.js';
export { actionRelay, type ActionRelay, type ActionRelayOptions, type RelayedMeta } from './relay.js';
