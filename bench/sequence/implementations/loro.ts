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
import { LoroDoc, type LoroText } from 'loro-crdt';
import { ascendingIds, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { loroPeerId } from '../../replica-ids.js';

const TEXT = 'text';

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

function newDoc(peer = loroPeerId(replicas++)): LoroDoc {
  const doc = new LoroDoc();
  doc.setPeerId(peer);
  return doc;
}

/**
 * Applies the patches to `text` (the `LoroText` of `doc`, fetched once per document: each
 * handle holds the document until the garbage collector finalises it) and commits.
 */
function edit(doc: LoroDoc, text: LoroText, patches: readonly TracePatch[]): void {
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
    const doc = newDoc(loroPeerId(0));
    const text = doc.getText(TEXT);
    for (const patches of trace.txns) edit(doc, text, patches);
    text.free();
    return doc;
  },
  text(doc) {
    const text = doc.getText(TEXT);
    const content = text.toString();
    text.free();
    return content;
  },
  encode: (doc) => doc.export({ mode: 'snapshot' }),
  load: imported,
  update: (doc) => doc.export({ mode: 'update' }),
  merge: imported,
  replayConcurrent(trace) {
    let latest: Uint8Array | undefined;
    const peers = ascendingIds(trace.agents, () => loroPeerId(replicas++), (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const agents = replayWithPeers<{ doc: LoroDoc; text: LoroText }, Uint8Array>(trace, {
      create(agent) {
        const doc = newDoc(peers[agent]);
        doc.subscribeLocalUpdates((update) => {
          latest = update;
        });
        return { doc, text: doc.getText(TEXT) };
      },
      commit({ doc, text }, patches) {
        latest = undefined;
        edit(doc, text, patches);
        if (latest === undefined) throw new Error('Loro emitted no update for a commit');
        return latest;
      },
      merge({ doc }, updates) {
        if (updates.length === 1 && updates[0] !== undefined) doc.import(updates[0]);
        else doc.importBatch([...updates]);
      },
    });
    return agents.map(({ doc, text }) => {
      text.free();
      return doc;
    });
  },
  free: (doc) => doc.free(),
};
