/**
 * The workloads, written once as data and handed to every implementation of a family,
 * and the checks that a merged result is right (so a broken adapter cannot post a fast
 * time). Each scenario becomes one `Case` per implementation that accepts it, with the
 * family's types erased so that the runner can treat every case alike.
 */
import type {
  CounterImplementation,
  CounterOp,
  CounterView,
  Implementation,
  Library,
  LibraryImplementations,
  MapOp,
  MapView,
  RegisterImplementation,
  RegisterOp,
  RegisterView,
  SetOp,
  SetView,
} from './interfaces.js';

/** The data-type families, in report order. */
export type FamilyName = 'counter' | 'map' | 'set' | 'register';

export const FAMILIES: readonly FamilyName[] = ['counter', 'map', 'set', 'register'];

/** How big the workloads are. */
export interface Sizes {
  /** Whether this is the `--full` run, which also builds the slowest workloads. */
  readonly full: boolean;
  /** Element counts for the one-replica scenarios. */
  readonly elements: readonly number[];
  /** Replica counts for the many-replica scenarios. */
  readonly replicas: readonly number[];
}

/** One implementation on one scenario, ready to be prepared. */
export interface Case {
  readonly library: Library;
  readonly type: string;
  /** Why this case is left out of this run, if it is. */
  readonly skipped?: string;
  /**
   * Runs the workload and encodes it (untimed setup), returning the timed step and the
   * full check.
   */
  prepare(): PreparedCase;
}

/** A case whose updates are encoded. */
export interface PreparedCase {
  /** Total bytes of the encoded updates. */
  readonly bytes: number;
  /** The timed step: merge every update into a fresh replica, and read its summary. */
  run(): number;
  /** Merges once more and checks the whole result; returns the first problem found. */
  check(): string | undefined;
}

/** One workload at one size, and every implementation that runs it. */
export interface Scenario {
  readonly family: FamilyName;
  /** For example `1 replica, 100k keys` or `1k replicas, 2 keys each`. */
  readonly name: string;
  /** Operations the updates represent: the numerator of merged ops per second. */
  readonly ops: number;
  readonly cases: readonly Case[];
}

/** 1000 → "1k", 100000 → "100k", 1000000 → "1M". */
export function count(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

type Workload<Op> = readonly (readonly Op[])[];

/** Builds one scenario over the given implementations, checking results with `check`. */
function scenario<Op, View, I extends Implementation<Op, View>>(
  sizes: Sizes,
  family: FamilyName,
  name: string,
  replicas: Workload<Op>,
  implementations: readonly I[],
  touch: (view: View) => number,
  check: (view: View, implementation: I) => string | undefined,
): Scenario {
  let ops = 0;
  let opsPerReplica = 0;
  for (const replica of replicas) {
    ops += replica.length;
    opsPerReplica = Math.max(opsPerReplica, replica.length);
  }
  const skipped = (implementation: I): { skipped?: string } => {
    const slow = implementation.slowBuild;
    return !sizes.full && slow !== undefined && opsPerReplica > slow.opsPerReplica
      ? { skipped: slow.reason }
      : {};
  };
  return {
    family,
    name,
    ops,
    cases: implementations.map((implementation) => ({
      library: implementation.library,
      type: implementation.type,
      ...skipped(implementation),
      prepare(): PreparedCase {
        const updates = implementation.encode(replicas);
        let bytes = 0;
        for (const update of updates) bytes += update.length;
        return {
          bytes,
          run: () => touch(implementation.merge(updates)),
          check: () => check(implementation.merge(updates), implementation),
        };
      },
    })),
  };
}

function expect(what: string, actual: unknown, expected: unknown): string | undefined {
  return Object.is(actual, expected)
    ? undefined
    : `${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
}

function counterScenarios(
  all: readonly CounterImplementation[],
  sizes: Sizes,
): Scenario[] {
  const check = (expected: number) => (view: CounterView) => expect('value', view.value, expected);
  const touch = (view: CounterView): number => view.value;
  const scenarios: Scenario[] = [];
  const workloads: readonly {
    readonly single: (n: number) => string;
    readonly many: (r: number) => string;
    readonly step: (i: number) => CounterOp;
    readonly implementations: readonly CounterImplementation[];
  }[] = [
    {
      single: (n) => `1 replica, ${count(n)} increments`,
      many: (r) => `${count(r)} replicas, 1 increment each`,
      step: () => 1,
      implementations: all,
    },
    {
      single: (n) => `1 replica, ${count(n)} steps, ¼ of them decrements`,
      many: (r) => `${count(r)} replicas, 1 step each, ¼ of them decrements`,
      step: (i) => (i % 4 === 3 ? -1 : 1),
      implementations: all.filter((implementation) => implementation.decrements),
    },
  ];
  const sum = (steps: readonly CounterOp[]): number => steps.reduce((a, b) => a + b, 0);
  for (const { single, many, step, implementations } of workloads) {
    for (const n of sizes.elements) {
      const steps = Array.from({ length: n }, (_, i) => step(i));
      scenarios.push(
        scenario(sizes, 'counter', single(n), [steps], implementations, touch, check(sum(steps))),
      );
    }
    for (const r of sizes.replicas) {
      const replicas = Array.from({ length: r }, (_, i) => [step(i)]);
      scenarios.push(
        scenario(sizes, 'counter', many(r), replicas, implementations, touch,
          check(sum(replicas.flat()))),
      );
    }
  }
  return scenarios;
}

function mapScenarios(all: LibraryImplementations['maps'], sizes: Sizes): Scenario[] {
  const touch = (view: MapView): number => view.size;
  const scenarios: Scenario[] = [];
  for (const n of sizes.elements) {
    const ops: MapOp[] = Array.from({ length: n }, (_, i) => ({ key: `key${i}`, value: i }));
    scenarios.push(
      scenario(sizes, 'map', `1 replica, ${count(n)} keys`, [ops], all, touch, (view) => {
        for (const op of ops) {
          const problem = expect(`get(${op.key})`, view.get(op.key), op.value);
          if (problem !== undefined) return problem;
        }
        return expect('size', view.size, n);
      }),
    );
  }
  for (const r of sizes.replicas) {
    const replicas: MapOp[][] = Array.from({ length: r }, (_, i) => [
      { key: `key${i}`, value: i },
      { key: 'shared', value: i },
    ]);
    scenarios.push(
      scenario(sizes, 'map', `${count(r)} replicas, an own key and a shared key each`, replicas, all,
        touch, (view) => {
          for (let i = 0; i < r; i++) {
            const problem = expect(`get(key${i})`, view.get(`key${i}`), i);
            if (problem !== undefined) return problem;
          }
          const shared = view.get('shared');
          if (typeof shared !== 'number' || !Number.isInteger(shared) || shared < 0 || shared >= r) {
            return `get(shared) is ${JSON.stringify(shared)}, not one of the values written`;
          }
          return expect('size', view.size, r + 1);
        }),
    );
  }
  return scenarios;
}

function setScenarios(all: LibraryImplementations['sets'], sizes: Sizes): Scenario[] {
  const touch = (view: SetView): number => view.size;
  const checkHolds = (elements: readonly SetOp[]) => (view: SetView) => {
    for (const element of elements) {
      if (!view.has(element)) return `${element} is missing`;
    }
    return expect('size', view.size, elements.length);
  };
  const scenarios: Scenario[] = [];
  for (const n of sizes.elements) {
    const elements = Array.from({ length: n }, (_, i) => `element${i}`);
    scenarios.push(
      scenario(sizes, 'set', `1 replica, ${count(n)} elements`, [elements], all, touch,
        checkHolds(elements)),
    );
  }
  for (const r of sizes.replicas) {
    const replicas = Array.from({ length: r }, (_, i) => [`element${i}`, 'shared']);
    const distinct = [...Array.from({ length: r }, (_, i) => `element${i}`), 'shared'];
    scenarios.push(
      scenario(sizes, 'set', `${count(r)} replicas, an own element and a shared one each`, replicas,
        all, touch, checkHolds(distinct)),
    );
  }
  return scenarios;
}

function registerScenarios(
  all: readonly RegisterImplementation[],
  sizes: Sizes,
): Scenario[] {
  const touch = (view: RegisterView): number => view.values.length;
  const scenarios: Scenario[] = [];
  for (const n of sizes.elements) {
    const writes: RegisterOp[] = Array.from({ length: n }, (_, i) => i);
    scenarios.push(
      scenario(sizes, 'register', `1 replica, ${count(n)} writes`, [writes], all, touch, (view) =>
        expect('values', JSON.stringify(view.values), JSON.stringify([n - 1])),
      ),
    );
  }
  for (const r of sizes.replicas) {
    const replicas = Array.from({ length: r }, (_, i) => [i]);
    scenarios.push(
      scenario(sizes, 'register', `${count(r)} replicas, 1 concurrent write each`, replicas, all,
        touch, (view, implementation) => {
          const distinct = new Set(view.values);
          for (const value of distinct) {
            if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= r) {
              return `holds ${JSON.stringify(value)}, not one of the values written`;
            }
          }
          const expected = implementation.keepsConcurrent ? r : 1;
          if (distinct.size !== view.values.length) return 'holds a value twice';
          return expect('number of values', view.values.length, expected);
        }),
    );
  }
  return scenarios;
}

/** Every scenario of the chosen families, over the loaded implementations. */
export function scenarios(
  libraries: readonly LibraryImplementations[],
  families: readonly FamilyName[],
  sizes: Sizes,
): Scenario[] {
  const all = {
    counters: libraries.flatMap((library) => library.counters),
    maps: libraries.flatMap((library) => library.maps),
    sets: libraries.flatMap((library) => library.sets),
    registers: libraries.flatMap((library) => library.registers),
  };
  const byFamily: Record<FamilyName, () => Scenario[]> = {
    counter: () => counterScenarios(all.counters, sizes),
    map: () => mapScenarios(all.maps, sizes),
    set: () => setScenarios(all.sets, sizes),
    register: () => registerScenarios(all.registers, sizes),
  };
  return FAMILIES.filter((family) => families.includes(family)).flatMap((family) =>
    byFamily[family](),
  );
}
