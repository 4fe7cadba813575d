/**
 * Sequence change events are Quill Deltas: applying each event to the content before it
 * gives the content after it, for local edits and for merged deltas and whole states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { List, Text, type Replicated, type SequenceChange } from '../../../src/index.js';
import { runs } from '../../helpers/property.js';
import { adapters, type Adapter } from '../adapters.js';
import { heal, play, scenario } from '../network.js';
import { applyDelta, normal } from './delta.js';

type Content = string | readonly unknown[];

function content(r: Replicated): Content {
  return r instanceof Text ? r.toString() : (r as List).toArray();
}

/** What a watcher saw: every event, and the first mismatch between an event and the content. */
interface Watch {
  readonly events: { origin: string; ops: unknown[] }[];
  readonly problems: string[];
}

/**
 * Checks every event of `r` as it fires: its ops, in normal form, turn the content the
 * previous event left into the content now.
 */
function watch(r: Replicated): Watch {
  const w: Watch = { events: [], problems: [] };
  let last = content(r);
  r.on('change', (e) => {
    const change = e as unknown as SequenceChange<Content>;
    const now = content(r);
    w.events.push({ origin: change.origin, ops: [...change] });
    if (!normal(change)) w.problems.push(`not in normal form: ${JSON.stringify(change)}`);
    if (Object.keys(change).some((k) => !/^\d+$/.test(k))) w.problems.push('origin is enumerable');
    let got: Content;
    try {
      got = applyDelta(last, change);
    } catch (error) {
      w.problems.push(`${(error as Error).message} in ${JSON.stringify(change)} over ${JSON.stringify(last)}`);
      last = now;
      return;
    }
    if (JSON.stringify(got) !== JSON.stringify(now)) {
      w.problems.push(`${JSON.stringify(change)} over ${JSON.stringify(last)} gives ${JSON.stringify(got)}, not ${JSON.stringify(now)}`);
    }
    last = now;
  });
  return w;
}

const sequences = adapters.filter((a) => a.name === 'Text' || a.name === 'List');

/** The adapter, with a watcher on every replica it makes. */
function watched(adapter: Adapter, watches: Watch[]): Adapter {
  return {
    ...adapter,
    create(replica, now, limits) {
      const r = adapter.create(replica, now, limits);
      watches.push(watch(r));
      return r;
    },
  };
}

describe.each(sequences)('$name change events as Quill Deltas', (adapter) => {
  it('local edits: one event per edit that changes the content, origin local, applying to the content before', () => {
    fc.assert(
      fc.property(fc.array(adapter.op, { minLength: 1, maxLength: 40 }), (ops) => {
        const watches: Watch[] = [];
        const r = watched(adapter, watches).create('a', () => 0);
        const w = watches[0]!;
        for (const op of ops) {
          const before = JSON.stringify(content(r));
          const count = w.events.length;
          adapter.perform(r, op);
          const changed = JSON.stringify(content(r)) !== before;
          expect(w.events.length - count).toBe(changed ? 1 : 0);
        }
        expect(w.problems).toEqual([]);
        for (const e of w.events) expect(e.origin).toBe('local');
      }),
      runs(100),
    );
  });

  it('merges of random deltas and whole states, reordered and duplicated: every event applies to the content before it', () => {
    let multi = 0;
    fc.assert(
      fc.property(scenario(adapter, 2, 4, 60), ({ replicas, actions }) => {
        const watches: Watch[] = [];
        const world = play(watched(adapter, watches), replicas, actions);
        heal(world);
        for (const w of watches) expect(w.problems).toEqual([]);
        for (const w of watches) multi += w.events.filter((e) => e.origin === 'remote' && e.ops.filter((op) => !('retain' in (op as object))).length > 1).length;
      }),
      runs(70),
    );
    // The runs did exercise merges that insert or delete at several places at once.
    expect(multi).toBeGreaterThan(30);
  });

  it('an event is an array whose origin is not enumerable: JSON gives the ops alone', () => {
    const r = adapter.create('a', () => 0);
    const seen: unknown[] = [];
    r.on('change', (e) => seen.push(e));
    adapter.perform(r, ['insert', 'front', adapter.name === 'Text' ? 'ab' : [1, 2]]);
    adapter.perform(r, ['delete', 1, 1]);
    const other = adapter.create('b', () => 0);
    const remote: unknown[] = [];
    other.on('change', (e) => remote.push(e));
    other.apply(r.encode());
    for (const [e, origin] of [
      [seen[0], 'local'],
      [seen[1], 'local'],
      [remote[0], 'remote'],
    ] as const) {
      expect(Array.isArray(e)).toBe(true);
      expect((e as { origin: string }).origin).toBe(origin);
      expect(Object.keys(e as object)).not.toContain('origin');
    }
    expect(JSON.parse(JSON.stringify(seen))).toEqual([[{ insert: adapter.name === 'Text' ? 'ab' : [1, 2] }], [{ retain: 1 }, { delete: 1 }]]);
    expect(JSON.parse(JSON.stringify(remote))).toEqual([[{ insert: adapter.name === 'Text' ? 'a' : [1] }]]);
  });
});

describe('a remote event with several changes at once', () => {
  it('inserts and deletes at several places come as one delta in document order', () => {
    const a = new Text({ replica: 'a' });
    a.insert(0, 'abcdef');
    const b = new Text({ replica: 'b' });
    b.apply(a.encode());
    const since = a.version();
    a.insert(6, 'Z').delete(3, 2).insert(1, 'XY').delete(0, 1);
    expect(a.toString()).toBe('XYbcfZ');
    const seen: SequenceChange<string>[] = [];
    b.on('change', (e) => seen.push(e));
    b.apply(a.encode(since));
    expect(seen).toHaveLength(1);
    expect(applyDelta('abcdef', seen[0]!)).toBe('XYbcfZ');
    expect(seen[0]!.origin).toBe('remote');
    expect(normal(seen[0]!)).toBe(true);
  });
});
