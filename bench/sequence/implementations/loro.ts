/**
 * Loro: a `LoroText` named `text` in a `LoroDoc`. Each transaction of a trace is one
 * `doc.commit()`. The stored form is a snapshot (`export({ mode: 'snapshot' })`: state
 * and history), imported into a new document; the update merged into an empty replica is
 * every op (`export({ mode: 'update' })`). In the concurrent replay each transaction's
 * update is the one Loro hands to `subscribeLocalUpdates` on commit, and a replica
 * imports what it lacks with one `importBatch`.
 *
 * Loro imports lazily: the timed load and merge read the text afterwards, which makes
 * Loro build it.
 */
import { LoroDoc } from 'loro-crdt';
import { ascendingIds, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { loroPeerId } from '../../replica-ids.js';

const TEXT = 'text';

let replicas = 0;

function newDoc(peer = loroPeerId(replicas++)): LoroDoc {
  const doc = new LoroDoc();
  doc.setPeerId(peer);
  return doc;
}

function edit(doc: LoroDoc, patches: readonly TracePatch[]): void {
  const text = doc.getText(TEXT);
  for (const [position, deleteCount, insert] of patches) {
    if (deleteCount > 0) text.delete(position, deleteCount);
    if (insert !== '') text.insert(position, insert);
  }
  doc.commit();
}

function imported(bytes: Uint8Array): LoroDoc {
  const doc = newDoc();
  doc.import(bytes);
  return doc;
}

export const implementation: SequenceImplementation<LoroDoc> = {
  library: 'loro',
  type: 'LoroText',
  format: "snapshot (export({ mode: 'snapshot' }))",
  updateFormat: "all updates (export({ mode: 'update' }))",
  replay(trace) {
    const doc = newDoc();
    for (const patches of trace.txns) edit(doc, patches);
    return doc;
  },
  text: (doc) => doc.getText(TEXT).toString(),
  encode: (doc) => doc.export({ mode: 'snapshot' }),
  load: imported,
  update: (doc) => doc.export({ mode: 'update' }),
  merge: imported,
  replayConcurrent(trace) {
    let latest: Uint8Array | undefined;
    const peers = ascendingIds(trace.agents, () => loroPeerId(replicas++), (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return replayWithPeers<LoroDoc, Uint8Array>(trace, {
      create(agent) {
        const doc = newDoc(peers[agent]);
        doc.subscribeLocalUpdates((update) => {
          latest = update;
        });
        return doc;
      },
      commit(doc, patches) {
        latest = undefined;
        edit(doc, patches);
        if (latest === undefined) throw new Error('Loro emitted no update for a commit');
        return latest;
      },
      merge(doc, updates) {
        if (updates.length === 1 && updates[0] !== undefined) doc.import(updates[0]);
        else doc.importBatch([...updates]);
      },
    });
  },
  free: (doc) => doc.free(),
};
