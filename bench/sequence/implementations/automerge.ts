/**
 * Automerge: a string field `text` of the root map (a text object in Automerge 3),
 * edited with `A.splice`. Each transaction of a trace is one `A.change`. The stored form
 * is `A.save` (its compressed columnar document), read back with `A.load`; the update
 * merged into an empty replica is the same bytes, applied with `A.loadIncremental` onto
 * `A.init()`. In the concurrent replay each transaction's update is the change Automerge
 * made for it (`A.getLastLocalChange`), and a replica applies what it lacks with one
 * `A.applyChanges`.
 */
import * as A from '@automerge/automerge';
import { ascendingIds, compareStrings, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { automergeActorId } from '../../replica-ids.js';

type Root = { text: string };

type Doc = A.Doc<Root>;

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

function actor(): string {
  return automergeActorId(replicas++);
}

/** A new document holding the empty text, made by a creator every replica starts from. */
const created = A.save(A.from<Root>({ text: '' }, automergeActorId(0x7fff_fffd)));

function start(actorId = actor()): Doc {
  return A.load<Root>(created, actorId);
}

function edit(doc: Doc, patches: readonly TracePatch[]): Doc {
  return A.change(doc, (draft) => {
    for (const [position, deleteCount, insert] of patches) {
      A.splice(draft, ['text'], position, deleteCount, insert);
    }
  });
}

export const implementation: SequenceImplementation<Doc> = {
  library: 'automerge',
  type: 'text (A.splice)',
  format: 'A.save',
  updateFormat: 'A.save, applied with A.loadIncremental',
  replay(trace) {
    let doc = start(automergeActorId(0));
    for (const patches of trace.txns) doc = edit(doc, patches);
    return doc;
  },
  text: (doc) => doc.text,
  encode: (doc) => A.save(doc),
  load: (bytes) => A.load<Root>(bytes, actor()),
  update: (doc) => A.save(doc),
  merge: (update) => A.loadIncremental(A.init<Root>(actor()), update),
  replayConcurrent(trace) {
    // Automerge documents are immutable values: each agent's latest is kept in a box.
    const actors = ascendingIds(trace.agents, actor, compareStrings);
    return replayWithPeers<{ doc: Doc }, Uint8Array>(trace, {
      create: (agent) => ({ doc: start(actors[agent]) }),
      commit(box, patches) {
        box.doc = edit(box.doc, patches);
        const change = A.getLastLocalChange(box.doc);
        if (change === undefined) throw new Error('Automerge made no change for a transaction');
        return change;
      },
      merge(box, changes) {
        [box.doc] = A.applyChanges(box.doc, [...changes]);
      },
    }).map((box) => box.doc);
  },
  free: (doc) => A.free(doc),
};
