/**
 * json-joy 17: a JSON CRDT `Model` whose root is a `str` node (RGA), edited through
 * `model.api.str([])` (`ins`, `del`). Each transaction of a trace is one patch
 * (`model.api.flush()`). The stored form is the structural "binary" encoding,
 * `model.toBinary()`, json-joy's standard compact snapshot, read with `Model.load` under
 * a session id of the new replica's own.
 *
 * json-joy replicates by patches and has no way to merge a snapshot into a replica that
 * has edits of its own: it brings a new, empty replica up to date by loading the
 * snapshot under its own session id. So the merged update is that snapshot, and merge is
 * a load. In the concurrent replay each transaction's update is its patch, encoded with
 * `patch.toBinary()`, and a replica applies what it lacks with `applyBatch`.
 *
 * Every replica is created from the same schema, `s.str('')`, whose node json-joy creates
 * under its shared global session, so all replicas edit the same string without first
 * exchanging its creation.
 */
import { Model, s } from 'json-joy/lib/json-crdt/index.js';
import { Patch } from 'json-joy/lib/json-crdt-patch/index.js';
import { ascendingIds, replayWithPeers } from '../concurrent.js';
import type { SequenceImplementation, TracePatch } from '../interfaces.js';
import { jsonJoySessionId } from '../../replica-ids.js';

const schema = s.str('');

/**
 * Replica ids: the replayed document always takes index 0, so its encoding is the same
 * bytes on every run; every other document takes the next index, so no two share one.
 */
let replicas = 1;

function newModel(sid = jsonJoySessionId(replicas++)) {
  const model = Model.create(schema, sid);
  model.api.flush();
  return model;
}

/** A model whose root is the string. */
type Doc = ReturnType<typeof newModel>;

/** Applies the patches and returns the patch json-joy recorded for them. */
function edit(model: Doc, patches: readonly TracePatch[]): Patch {
  const text = model.api.str([]);
  for (const [position, deleteCount, insert] of patches) {
    if (deleteCount > 0) text.del(position, deleteCount);
    if (insert !== '') text.ins(position, insert);
  }
  return model.api.flush();
}

function loaded(bytes: Uint8Array): Doc {
  return Model.load(bytes, jsonJoySessionId(replicas++), schema);
}

function text(model: Doc): string {
  return model.view();
}

export const implementation: SequenceImplementation<Doc> = {
  library: 'json-joy',
  type: 'json-crdt str',
  format: 'structural binary (model.toBinary())',
  updateFormat: 'structural binary, loaded under a new session id (no snapshot merge)',
  replay(trace) {
    const model = newModel(jsonJoySessionId(0));
    for (const patches of trace.txns) edit(model, patches);
    return model;
  },
  text,
  encode: (model) => model.toBinary(),
  load: loaded,
  update: (model) => model.toBinary(),
  merge: loaded,
  replayConcurrent(trace) {
    const sids = ascendingIds(trace.agents, () => jsonJoySessionId(replicas++), (a, b) => a - b);
    return replayWithPeers<Doc, Uint8Array>(trace, {
      create: (agent) => newModel(sids[agent]),
      commit: (model, patches) => edit(model, patches).toBinary(),
      merge(model, updates) {
        model.applyBatch(updates.map((update) => Patch.fromBinary(update)));
      },
    });
  },
  notes: [
    'json-joy cannot merge a snapshot into a replica with edits of its own; its merge row is a load of the snapshot under a new session id.',
  ],
};
