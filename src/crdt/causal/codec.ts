/**
 * The payload of the causal types (`FORMAT.md` 4.6): context, base, dead ranges and the
 * alive entries outside the base, in binary and in the JSON twin.
 */
import {
  DecodeError,
  ReplicaTableReader,
  ReplicaTableWriter,
  expectArray,
  expectEntries,
  expectObject,
  expectUint,
  type DecodeLimits,
  type PayloadCodec,
  type Reader,
  type Writer,
} from '../../codec/index.js';
import type { Dot, VersionVector } from '../clock/index.js';
import {
  addVersionReplicas,
  dotFromJSON,
  mapObjects,
  readBase,
  readGroups,
  readVersion,
  replicaFromJSON,
  versionFromJSON,
  writeGroups,
  writeVersion,
} from '../wire.js';

/** Inclusive ranges `[start, end]` of counters, sorted, never touching. */
export type Ranges = readonly (readonly [number, number])[];

/** Payload model of a causal dot store. */
export interface CausalModel<E extends Dot> {
  readonly context: VersionVector;
  readonly base: VersionVector;
  /** Per replica, the dots within `base` that the sender no longer holds. */
  readonly dead: ReadonlyMap<string, Ranges>;
  /** Alive entries outside `base`, sorted by dot. */
  readonly entries: readonly E[];
}

/** How a type's entry payload is encoded. */
export interface EntryCodec<E extends Dot> {
  /** The fields of an entry's JSON twin besides `replica` and `counter`. */
  readonly fields: readonly string[];
  /** Writes an entry's payload; `previous` is the entry written just before, if any. */
  write(w: Writer, entry: E, previous: E | undefined): void;
  /** Reads an entry's payload; `previous` is the entry read just before, if any. */
  read(r: Reader, replica: string, counter: number, previous: E | undefined): E;
  toJSON(entry: E): Record<string, unknown>;
  fromJSON(o: Record<string, unknown>, dot: Dot, path: string, limits: DecodeLimits): E;
}

/** Builds the payload codec of a causal type from its entry codec. */
export function causalCodec<E extends Dot>(tag: number, name: string, entry: EntryCodec<E>): PayloadCodec<CausalModel<E>> {
  return {
    tag,
    name,
    write(w: Writer, model: CausalModel<E>): void {
      const table = new ReplicaTableWriter();
      addVersionReplicas(table, model.context);
      table.write(w);
      writeVersion(w, table, model.context);
      writeVersion(w, table, model.base);
      const dead = [...model.dead].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      w.uint(dead.length);
      for (const [replica, ranges] of dead) {
        table.ref(w, replica);
        w.uint(ranges.length);
        let previousEnd = 0;
        for (const [start, end] of ranges) {
          w.uint(start - previousEnd - 1);
          w.uint(end - start + 1);
          previousEnd = end;
        }
      }
      writeGroups(w, table, model.entries, entry.write);
    },
    read(r: Reader): CausalModel<E> {
      const table = new ReplicaTableReader(r);
      const context = readVersion(r, table);
      const base = readBase(r, table, context);
      const dead = new Map<string, Ranges>();
      const replicas = r.count(2);
      let previousRef = -1;
      for (let i = 0; i < replicas; i++) {
        const ref = table.refAfter(r, previousRef, 'dead ranges');
        previousRef = ref;
        const replica = table.ids[ref]!;
        const n = r.count(2);
        if (n === 0) throw r.error('non-canonical', 'a replica with no dead range is not listed');
        const ranges: [number, number][] = [];
        let previousEnd = 0;
        for (let k = 0; k < n; k++) {
          const gap = r.uint();
          if (k > 0 && gap === 0) throw r.error('non-canonical', 'dead ranges never touch');
          const length = r.uint();
          if (length === 0) throw r.error('non-canonical', 'a dead range is never empty');
          const start = previousEnd + gap + 1;
          const end = start + length - 1;
          if (end > base.get(replica)) throw r.error('invalid-value', `dead range of ${replica} ends past the base`);
          ranges.push([start, end]);
          previousEnd = end;
        }
        dead.set(replica, ranges);
      }
      const entries = readGroups(r, table, context, base, entry.read);
      table.finish(r);
      return { context, base, dead, entries };
    },
    toJSON(model: CausalModel<E>): unknown {
      const dead: Record<string, unknown> = {};
      for (const [replica, ranges] of [...model.dead].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        Object.defineProperty(dead, replica, { value: ranges.map(([s, e]) => [s, e]), enumerable: true, writable: true, configurable: true });
      }
      return {
        context: model.context.toJSON(),
        base: model.base.toJSON(),
        dead,
        entries: model.entries.map((e) => ({ replica: e.replica, counter: e.counter, ...entry.toJSON(e) })),
      };
    },
    fromJSON(json: unknown, limits: DecodeLimits): CausalModel<E> {
      const o = expectObject(json, 'payload', ['context', 'base', 'dead', 'entries']);
      const dead = new Map<string, Ranges>();
      for (const [replica, list] of expectEntries(o.dead, 'payload.dead', limits)) {
        const path = `payload.dead.${replica}`;
        replicaFromJSON(replica, path);
        dead.set(
          replica,
          expectArray(list, path, limits).map((range, i) => {
            const pair = expectArray(range, `${path}[${i}]`, limits);
            if (pair.length !== 2) throw new DecodeError('invalid-value', `${path}[${i}] must be [start, end]`);
            const start = expectUint(pair[0], `${path}[${i}][0]`, 1);
            const end = expectUint(pair[1], `${path}[${i}][1]`, start);
            return [start, end] as const;
          }),
        );
      }
      return {
        context: versionFromJSON(o.context, 'payload.context', limits),
        base: versionFromJSON(o.base, 'payload.base', limits),
        dead,
        entries: mapObjects(o.entries, 'payload.entries', limits, ['replica', 'counter', ...entry.fields], (e, path) =>
          entry.fromJSON(e, dotFromJSON(e, path), path, limits),
        ),
      };
    },
  };
}

