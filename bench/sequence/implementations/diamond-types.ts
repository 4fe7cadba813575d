/**
 * diamond-types (Rust compiled to WebAssembly, `diamond-types-node`): a `Doc`, edited
 * with `ins` and `del`. Positions are Unicode code points; the benchmark's traces are
 * ASCII, where code points and UTF-16 indexes agree. diamond-types has no transactions:
 * each patch is one operation. The stored form is `doc.toBytes()` (the whole op log),
 * read with `Doc.fromBytes`; the merged update is the same bytes, applied with
 * `mergeBytes` on a new, empty `Doc`. In the concurrent replay each transaction's update
 * is `getPatchSince` the version before it, and a replica applies what it lacks with one
 * `mergeBytes` per update.
 */
import { Doc } from 'diamond-types-node';
import { ascendingIds, compareStrings, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { tandemReplicaId } from '../../replica-ids.js';

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

/** An agent name as long as a nanoid: diamond-types stores each name once. */
function agent(): string {
  return tandemReplicaId(replicas++);
}

function edit(doc: Doc, patches: readonly TracePatch[]): void {
  for (const [position, deleteCount, insert] of patches) {
    if (deleteCount > 0) doc.del(position, deleteCount);
    if (insert !== '') doc.ins(position, insert);
  }
}

export const implementation: SequenceImplementation<Doc> = {
  library: 'diamond-types',
  type: 'Doc',
  format: 'doc.toBytes()',
  updateFormat: 'doc.toBytes(), applied with mergeBytes',
  replay(trace) {
    const doc = new Doc(tandemReplicaId(0));
    for (const patches of trace.txns) edit(doc, patches);
    return doc;
  },
  text: (doc) => doc.get(),
  encode: (doc) => doc.toBytes(),
  load: (bytes) => Doc.fromBytes(bytes, agent()),
  update: (doc) => doc.toBytes(),
  merge(update) {
    const doc = new Doc(agent());
    doc.mergeBytes(update);
    return doc;
  },
  replayConcurrent(trace) {
    const agents = ascendingIds(trace.agents, agent, compareStrings);
    return replayWithPeers<Doc, Uint8Array>(trace, {
      create: (index) => new Doc(agents[index]),
      commit(doc, patches) {
        const before = doc.getLocalVersion();
        edit(doc, patches);
        return doc.getPatchSince(before);
      },
      merge(doc, updates) {
        for (const update of updates) doc.mergeBytes(update);
      },
    });
  },
  free: (doc) => doc.free(),
};
