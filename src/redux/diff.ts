/**
 * What changed between two readings of a slice's entities, by reference: Redux state is
 * updated immutably, so an entity object that is still the same object is unchanged.
 * One pass over the new entities finds the changed ones; the old ones are scanned only
 * when the counts say some id was removed.
 */
import type { Entities } from './adapter.js';

/** The ids whose entity is new or another object, and the ids that disappeared. */
export interface EntityDiff {
  /** The entities compared against. */
  readonly was: Entities;
  /** Ids whose entity is new, or another object than in `was`. */
  readonly changed: readonly string[];
  /** Ids of `was` that are gone. */
  readonly removed: readonly string[];
}

/** Number of own keys of entity records already read, so a record is counted once. */
const counts = new WeakMap<Entities, number>();

function count(entities: Entities): number {
  let n = counts.get(entities);
  if (n === undefined) {
    n = Object.keys(entities).length;
    counts.set(entities, n);
  }
  return n;
}

/** Compares `now` with `was` entity by entity. */
export function diffEntities(was: Entities, now: Entities): EntityDiff {
  const ids = Object.keys(now);
  counts.set(now, ids.length);
  const changed: string[] = [];
  let kept = 0;
  for (const id of ids) {
    const entity = now[id];
    // An entity is never undefined (the check refuses it), so an equal lookup that only
    // the prototype chain could answer cannot happen.
    if (entity !== undefined && was[id] === entity) kept++;
    else changed.push(id);
  }
  let replaced = 0;
  for (const id of changed) if (Object.hasOwn(was, id)) replaced++;
  const removed: string[] = [];
  if (count(was) > kept + replaced) {
    for (const id of Object.keys(was)) if (!Object.hasOwn(now, id)) removed.push(id);
  }
  return { was, changed, removed };
}
