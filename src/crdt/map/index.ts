/** Maps from string keys to JSON values. */
export { AWMap, awMapCodec, type AWMapOptions } from './aw-map.js';
export { LWWMap, lwwMapCodec, type LWWMapOptions, type MapChange } from './lww-map.js';
