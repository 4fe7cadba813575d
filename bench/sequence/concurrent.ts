/**
 * Replaying a concurrent trace, the same way for every library (the traces' README):
 * one replica per agent; before an agent makes a transaction, its replica merges the
 * updates of every transaction in the parents' causal history that it lacks; at the end,
 * every replica merges whatever it still lacks, so all of them must hold `endContent`.
 *
 * Each transaction is made as one local transaction (change, commit) on its agent's
 * replica, and the library hands back the update that carries exactly that transaction
 * to another replica: an incremental update cut at the version before it, or the change
 * the library emits for it. Which transactions a replica holds is tracked here, one flag
 * per (agent, transaction): a replica that holds a transaction holds its whole history,
 * because histories are only ever merged whole, so the search for what is missing stops
 * at the first transaction already held. What a replica lacks is merged oldest first
 * (a transaction's parents come before it in the list), in one batch.
 *
 * Replica ids ascend with the agent number, in each library's own order of ids. The
 * traces' README says no two agents inserted concurrently at the same place, but
 * friendsforever.concurrent has at least one such tie (around character 3,800 of the end
 * text: “, huh?”), and its `endContent` is what agent 0 ordered before agent 1 yields:
 * Yjs with agent 0's client id above agent 1's ends with “ , hh?u”.
 */
import type { ConcurrentTrace, TracePatch } from './interfaces.js';

/** What a library provides for the concurrent replay. */
export interface Peers<R, U> {
  /** A new, empty replica for agent `agent` (0-based), with an id of its own. */
  create(agent: number): R;
  /**
   * Applies one transaction's patches to the replica as one local transaction, and
   * returns the update that carries exactly that transaction to another replica.
   */
  commit(replica: R, patches: readonly TracePatch[]): U;
  /** Merges updates, oldest first, each carrying one transaction, into the replica. */
  merge(replica: R, updates: readonly U[]): void;
}

/**
 * `count` fresh ids from `next`, sorted by `compare`, so that agent 0 gets the lowest
 * (see the file's opening comment for why the order matters).
 */
export function ascendingIds<T>(count: number, next: () => T, compare: (a: T, b: T) => number): T[] {
  return Array.from({ length: count }, next).sort(compare);
}

/** The order of ids that are strings, compared by UTF-16 code units. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Replays `trace` with one replica per agent; returns the replicas, all up to date. */
export function replayWithPeers<R, U>(trace: ConcurrentTrace, peers: Peers<R, U>): R[] {
  const count = trace.txns.length;
  const replicas: R[] = [];
  const held: Uint8Array[] = [];
  for (let agent = 0; agent < trace.agents; agent++) {
    replicas.push(peers.create(agent));
    held.push(new Uint8Array(count));
  }
  const updates: U[] = new Array<U>(count);
  const pending: number[] = [];
  const missing: number[] = [];

  /** Merges into `agent`'s replica the history of `roots` that it lacks. */
  const catchUp = (agent: number, roots: readonly number[]): void => {
    const has = held[agent];
    const replica = replicas[agent];
    if (has === undefined || replica === undefined) throw new RangeError(`no agent ${agent}`);
    for (const root of roots) {
      if (has[root] === 1) continue;
      has[root] = 1;
      pending.push(root);
    }
    while (pending.length > 0) {
      const txn = pending.pop() ?? 0;
      missing.push(txn);
      for (const parent of trace.txns[txn]?.parents ?? []) {
        if (has[parent] === 1) continue;
        has[parent] = 1;
        pending.push(parent);
      }
    }
    if (missing.length === 0) return;
    missing.sort((a, b) => a - b);
    const batch: U[] = [];
    for (const txn of missing) {
      // Every missing transaction is earlier than the one being made, so it has an update.
      if (!(txn in updates)) throw new RangeError(`transaction ${txn} has no update yet`);
      batch.push(updates[txn] as U);
    }
    peers.merge(replica, batch);
    missing.length = 0;
  };

  trace.txns.forEach((txn, index) => {
    catchUp(txn.agent, txn.parents);
    const replica = replicas[txn.agent];
    if (replica === undefined) throw new RangeError(`no agent ${txn.agent}`);
    updates[index] = peers.commit(replica, txn.patches);
    const has = held[txn.agent];
    if (has !== undefined) has[index] = 1;
  });

  const all = Array.from({ length: count }, (_, index) => index);
  for (let agent = 0; agent < trace.agents; agent++) catchUp(agent, all);
  return replicas;
}
