/**
 * Yjs: a `Y.Text` named `text` in a `Y.Doc`. Each transaction of a trace is one
 * `doc.transact`. The stored form is the V2 update (`Y.encodeStateAsUpdateV2`, Yjs'
 * compact encoding: the size to beat), loaded with `Y.applyUpdateV2` into a new document;
 * the V1 update's size is reported beside it. The update merged into an empty replica is
 * V1 (`Y.encodeStateAsUpdate`), the encoding y-protocols sync with. In the concurrent
 * replay each transaction's update is the V1 update Yjs emits for it (`doc.on('update')`),
 * and a replica applies what it lacks inside one transaction.
 */
import * as Y from 'yjs';
import { ascendingIds, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { yjsClientId } from '../../replica-ids.js';

const TEXT = 'text';

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

function newDoc(clientId = yjsClientId(replicas++)): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.clientID = clientId;
  return doc;
}

function edit(text: Y.Text, patches: readonly TracePatch[]): void {
  for (const [position, deleteCount, insert] of patches) {
    if (deleteCount > 0) text.delete(position, deleteCount);
    if (insert !== '') text.insert(position, insert);
  }
}

export const implementation: SequenceImplementation<Y.Doc> = {
  library: 'yjs',
  type: 'Y.Text',
  format: 'V2 update (Y.encodeStateAsUpdateV2)',
  updateFormat: 'V1 update (Y.encodeStateAsUpdate)',
  replay(trace) {
    const doc = newDoc(yjsClientId(0));
    const text = doc.getText(TEXT);
    for (const patches of trace.txns) doc.transact(() => edit(text, patches));
    return doc;
  },
  text: (doc) => doc.getText(TEXT).toString(),
  encode: (doc) => Y.encodeStateAsUpdateV2(doc),
  otherEncodings: (doc) => [{ format: 'V1 update', bytes: Y.encodeStateAsUpdate(doc) }],
  load(bytes) {
    const doc = newDoc();
    Y.applyUpdateV2(doc, bytes);
    return doc;
  },
  update: (doc) => Y.encodeStateAsUpdate(doc),
  merge(update) {
    const doc = newDoc();
    Y.applyUpdate(doc, update);
    return doc;
  },
  replayConcurrent(trace) {
    let latest: Uint8Array | undefined;
    const ids = ascendingIds(trace.agents, () => yjsClientId(replicas++), (a, b) => a - b);
    return replayWithPeers<Y.Doc, Uint8Array>(trace, {
      create(agent) {
        const doc = newDoc(ids[agent]);
        doc.on('update', (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
          if (transaction.local) latest = update;
        });
        return doc;
      },
      commit(doc, patches) {
        latest = undefined;
        const text = doc.getText(TEXT);
        doc.transact(() => edit(text, patches));
        if (latest === undefined) throw new Error('Yjs emitted no update for a transaction');
        return latest;
      },
      merge(doc, updates) {
        doc.transact(() => {
          for (const update of updates) Y.applyUpdate(doc, update);
        });
      },
    });
  },
  free: (doc) => doc.destroy(),
};
