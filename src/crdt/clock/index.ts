/** Clocks: replica ids, dots, version vectors, Lamport and hybrid logical clocks. */
export { HybridLogicalClock, MAX_LOGICAL, MAX_WALL, compareTimestamps, type HybridLogicalClockOptions, type Timestamp } from './hlc.js';
export { LamportClock } from './lamport.js';
export { createReplicaId } from './replica-id.js';
export { VersionVector, compareDots, compareVersions, type Dot, type Ordering, type Version } from './version.js';
