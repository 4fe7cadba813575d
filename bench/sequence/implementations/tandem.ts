/**
 * Tandem: `Text` from `src/crdt`. A trace's transactions are local edits (`insert`,
 * `delete`). The stored form is `encode()` with no version (the whole document), loaded
 * by `apply` on a new replica; the merged update is the same bytes, so load and merge
 * time the same path. In the concurrent replay each transaction's update is
 * `encode(version before it)`, and a replica applies what it lacks one update at a time.
 */
import { Text } from '../../../src/crdt/index.js';
import { ascendingIds, compareStrings, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { tandemReplicaId } from '../../replica-ids.js';

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

function newText(replica = tandemReplicaId(replicas++)): Text {
  return new Text({ replica });
}

function edit(doc: Text, patches: readonly TracePatch[]): void {
  for (const [position, deleteCount, insert] of patches) {
    if (deleteCount > 0) doc.delete(position, deleteCount);
    if (insert !== '') doc.insert(position, insert);
  }
}

function applied(update: Uint8Array): Text {
  const doc = newText();
  doc.apply(update);
  return doc;
}

export const implementation: SequenceImplementation<Text> = {
  library: 'tandem',
  type: 'Text',
  format: 'encode()',
  updateFormat: 'encode(), applied with apply',
  replay(trace) {
    const doc = newText(tandemReplicaId(0));
    for (const patches of trace.txns) edit(doc, patches);
    return doc;
  },
  text: (doc) => doc.toString(),
  encode: (doc) => doc.encode(),
  load: applied,
  update: (doc) => doc.encode(),
  merge: applied,
  replayConcurrent(trace) {
    const ids = ascendingIds(trace.agents, () => tandemReplicaId(replicas++), compareStrings);
    return replayWithPeers<Text, Uint8Array>(trace, {
      create: (agent) => newText(ids[agent]),
      commit(doc, patches) {
        const before = doc.version();
        edit(doc, patches);
        return doc.encode(before);
      },
      merge(doc, updates) {
        for (const update of updates) doc.apply(update);
      },
    });
  },
};
