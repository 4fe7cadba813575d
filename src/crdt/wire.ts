/**
 * Payload building blocks shared by the replicated types: version vectors and dot groups
 * (`FORMAT.md` sections 1.3 and 1.4), in binary and in the JSON twin.
 */
import {
  DecodeError,
  expectArray,
  expectEntries,
  expectObject,
  expectString,
  expectUint,
  replicaIdProblem,
  type DecodeLimits,
  type Reader,
  type ReplicaTableReader,
  type ReplicaTableWriter,
  type Writer,
} from '../codec/index.js';
import { VersionVector, type Dot, type Version } from './clock/index.js';

/** Notes every replica of `vv` in the table being built. */
export function addVersionReplicas(table: ReplicaTableWriter, vv: VersionVector): void {
  for (const [replica] of vv.entries()) table.add(replica);
}

/** Writes a version vector: `list<(ref, counter)>`, refs increasing. */
export function writeVersion(w: Writer, table: ReplicaTableWriter, vv: VersionVector): void {
  const replicas = [...vv.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  w.uint(replicas.length);
  for (const [replica, counter] of replicas) {
    table.ref(w, replica);
    w.uint(counter);
  }
}

/** Reads a version vector, refusing unsorted refs and zero counters. */
export function readVersion(r: Reader, table: ReplicaTableReader): VersionVector {
  const n = r.count(2);
  const vv = new VersionVector();
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const ref = table.refAfter(r, previous, 'version vector entries');
    previous = ref;
    const counter = r.uint();
    if (counter === 0) throw r.error('non-canonical', 'version vector counters are ≥ 1');
    vv.observe(table.ids[ref]!, counter);
  }
  return vv;
}

/** Reads the `base` of a delta and checks it lies within the frame's `version`. */
export function readBase(r: Reader, table: ReplicaTableReader, version: VersionVector): VersionVector {
  const base = readVersion(r, table);
  if (!version.covers(base)) throw r.error('invalid-value', "a delta's base lies within its version");
  return base;
}

/** A version vector from a JSON twin. */
export function versionFromJSON(json: unknown, path: string, limits: DecodeLimits): VersionVector {
  const vv = new VersionVector();
  for (const [replica, counter] of expectEntries(json, path, limits)) {
    const problem = replicaIdProblem(replica);
    if (problem !== undefined) throw new DecodeError('invalid-value', `${path}: ${problem}`);
    vv.observe(replica, expectUint(counter, `${path}.${replica}`, 1));
  }
  return vv;
}

/**
 * Writes dot groups. `entries` must already be sorted with `compareDots`, and each
 * replica noted in the table.
 */
export function writeGroups<E extends Dot>(
  w: Writer,
  table: ReplicaTableWriter,
  entries: readonly E[],
  writePayload: (w: Writer, entry: E, previous: E | undefined) => void,
): void {
  let groups = 0;
  for (let i = 0; i < entries.length; i++) if (i === 0 || entries[i]!.replica !== entries[i - 1]!.replica) groups++;
  w.uint(groups);
  let i = 0;
  while (i < entries.length) {
    const replica = entries[i]!.replica;
    let j = i;
    while (j < entries.length && entries[j]!.replica === replica) j++;
    table.ref(w, replica);
    w.uint(j - i);
    let previous = 0;
    for (let k = i; k < j; k++) {
      const entry = entries[k]!;
      w.uint(entry.counter - previous);
      previous = entry.counter;
      writePayload(w, entry, entries[k - 1]);
    }
    i = j;
  }
}

/**
 * Reads dot groups; `readPayload` builds each entry from its dot and the entry read just
 * before it (in any group), against which payloads may delta-code. Every dot must lie
 * within `context` and outside `base`.
 */
export function readGroups<E>(
  r: Reader,
  table: ReplicaTableReader,
  context: VersionVector,
  base: VersionVector,
  readPayload: (r: Reader, replica: string, counter: number, previous: E | undefined) => E,
): E[] {
  const groups = r.count(3);
  const out: E[] = [];
  let previous = -1;
  for (let g = 0; g < groups; g++) {
    const ref = table.refAfter(r, previous, 'dot groups');
    previous = ref;
    const replica = table.ids[ref]!;
    const low = base.get(replica);
    const high = context.get(replica);
    const n = r.count(1);
    if (n === 0) throw r.error('non-canonical', 'a dot group is never empty');
    let counter = 0;
    for (let k = 0; k < n; k++) {
      const step = r.uint();
      if (step === 0) throw r.error('non-canonical', 'counters in a dot group strictly increase');
      counter += step;
      if (counter <= low || counter > high) {
        throw r.error('invalid-value', `entry (${replica}, ${counter}) must lie in the frame's version and outside its base`);
      }
      out.push(readPayload(r, replica, counter, out[out.length - 1]));
    }
  }
  return out;
}

/** A replica id in a JSON twin. */
export function replicaFromJSON(json: unknown, path: string): string {
  const replica = expectString(json, path);
  const problem = replicaIdProblem(replica);
  if (problem !== undefined) throw new DecodeError('invalid-value', `${path}: ${problem}`);
  return replica;
}

/** The dot of an entry in a JSON twin. */
export function dotFromJSON(o: Record<string, unknown>, path: string): Dot {
  return { replica: replicaFromJSON(o.replica, `${path}.replica`), counter: expectUint(o.counter, `${path}.counter`, 1) };
}

/** Maps each element of a JSON array of objects that have only `fields`, with paths for error messages. */
export function mapObjects<T>(
  json: unknown,
  path: string,
  limits: DecodeLimits,
  fields: readonly string[],
  f: (o: Record<string, unknown>, path: string) => T,
): T[] {
  return expectArray(json, path, limits).map((item, i) => f(expectObject(item, `${path}[${i}]`, fields), `${path}[${i}]`));
}

/**
 * The base of a delta for a holder of `since`: what both sides have seen. Empty for a
 * whole state.
 */
export function deltaBase(since: VersionVector | undefined, mine: VersionVector): VersionVector {
  return since === undefined ? new VersionVector() : since.meet(mine);
}

/** Validates a `since` argument given to `encode`. */
export function sinceArgument(since: Version | undefined): VersionVector | undefined {
  return since === undefined ? undefined : VersionVector.from(since, 'since');
}
