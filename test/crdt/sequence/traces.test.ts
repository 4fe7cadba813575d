/**
 * Real editing traces (../shared/traces, or the folder TANDEM_TRACES names): replayed as
 * local edits, saved and loaded, sent as deltas, and the concurrent trace replayed with
 * one replica per author. Every replica must end with the trace's final text.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Text, type Version } from '../../../src/index.js';

type Patch = readonly [pos: number, deleted: number, inserted: string];

interface SequentialTrace {
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly Patch[] }[];
}

interface ConcurrentTrace {
  readonly kind: 'concurrent';
  readonly endContent: string;
  readonly numAgents: number;
  readonly txns: readonly { readonly parents: readonly number[]; readonly agent: number; readonly patches: readonly Patch[] }[];
}

const directory = process.env.TANDEM_TRACES || fileURLToPath(new URL('../../../../shared/traces', import.meta.url));

function read<T>(name: string): T {
  return JSON.parse(gunzipSync(readFileSync(resolve(directory, `${name}.json.gz`))).toString('utf8')) as T;
}

/**
 * Converts code point positions to UTF-16 indexes of a document being edited, by keeping
 * the code point positions of its astral characters (few, in practice).
 */
class CodePoints {
  private readonly astral: number[] = [];

  /** The UTF-16 index of code point position `pos`. */
  utf16(pos: number): number {
    let n = 0;
    for (const p of this.astral) if (p < pos) n++;
    return pos + n;
  }

  /** Notes that code points `pos .. pos + count − 1` were deleted. */
  deleted(pos: number, count: number): void {
    for (let i = this.astral.length - 1; i >= 0; i--) {
      const p = this.astral[i]!;
      if (p >= pos + count) this.astral[i] = p - count;
      else if (p >= pos) this.astral.splice(i, 1);
    }
  }

  /** Notes that `text` was inserted at code point position `pos`. */
  inserted(pos: number, text: string): void {
    const points = [...text];
    for (let i = 0; i < this.astral.length; i++) if (this.astral[i]! >= pos) this.astral[i]! += points.length;
    points.forEach((ch, k) => {
      if (ch.length === 2) this.astral.push(pos + k);
    });
  }
}

/** Applies one patch as local edits: delete, then insert, at `pos` (UTF-16, or code points with `points`). */
function patch(doc: Text, [pos, deleted, inserted]: Patch, points?: CodePoints): void {
  if (points === undefined) {
    if (deleted > 0) doc.delete(pos, deleted);
    if (inserted !== '') doc.insert(pos, inserted);
    return;
  }
  const at = points.utf16(pos);
  if (deleted > 0) {
    doc.delete(at, points.utf16(pos + deleted) - at);
    points.deleted(pos, deleted);
  }
  if (inserted !== '') {
    doc.insert(at, inserted);
    points.inserted(pos, inserted);
  }
}

describe('sequential traces', () => {
  it.each([
    ['automerge-paper', false],
    ['seph-blog1', false],
    ['seph-blog1.unicode', true],
    ['sveltecomponent', false],
    ['friendsforever_flat', false],
  ] as const)('%s: replayed, saved and loaded, and sent in two deltas out of order, gives the final text', (name, codePoints) => {
    const trace = read<SequentialTrace>(name);
    const doc = new Text({ replica: 'author' });
    const points = codePoints ? new CodePoints() : undefined;
    const half = trace.txns.length >> 1;
    let events = 0;
    let midState: Uint8Array | undefined;
    let midVersion: Version = {};
    trace.txns.forEach((txn, i) => {
      if (i === half) {
        midState = doc.encode();
        midVersion = doc.version();
      }
      for (const p of txn.patches) {
        patch(doc, p, points);
        events += p[1] + p[2].length;
      }
    });
    expect(doc.toString()).toBe(trace.endContent);
    expect(doc.length).toBe(trace.endContent.length);
    // Each inserted and each deleted code unit is one event (the traces have no astral text).
    expect(doc.version()).toEqual({ author: events });

    const whole = doc.encode();
    const loaded = new Text({ replica: 'reader' });
    loaded.apply(whole);
    expect(loaded.toString()).toBe(trace.endContent);
    expect(Buffer.from(loaded.encode()).equals(Buffer.from(whole))).toBe(true);

    // The second half first: held until the first half arrives, then merged into it.
    const late = new Text({ replica: 'late' });
    late.apply(doc.encode(midVersion));
    expect(late.pending).toBe(1);
    expect(late.toString()).toBe('');
    late.apply(midState!);
    expect(late.pending).toBe(0);
    expect(late.toString()).toBe(trace.endContent);
    expect(late.version()).toEqual(doc.version());
  });
});

describe('the concurrent trace', () => {
  it('friendsforever, one replica per author, merging each transaction’s history before it: every replica ends with the final text', () => {
    const trace = read<ConcurrentTrace>('friendsforever.concurrent');
    const agents = Array.from({ length: trace.numAgents }, (_, i) => new Text({ replica: `agent${i}` }));
    const names = agents.map((a) => a.replica);
    // Another author only ever needs an author's history up to one of its transactions
    // that some other author's transaction names as a parent: updates are cut there,
    // each holding the author's transactions since the previous cut.
    const cut = new Set<number>();
    for (const txn of trace.txns) for (const p of txn.parents) if (trace.txns[p]!.agent !== txn.agent) cut.add(p);
    cut.add(trace.txns.length - 1);
    // Per transaction: its author's version just after it, which is exactly its history.
    const after: Version[] = [];
    // Per author: its updates in order, each with the counter it ends at, and where the next one starts.
    const updates: { end: number; bytes: Uint8Array }[][] = agents.map(() => []);
    const starts: Version[] = agents.map(() => ({}));
    const mismatches: number[] = [];
    // Per author and other author: the next of the other's updates to merge.
    const next = agents.map(() => agents.map(() => 0));
    trace.txns.forEach((txn, i) => {
      const doc = agents[txn.agent]!;
      // What the transaction's parents had seen: the join of their versions.
      const needed: Record<string, number> = {};
      for (const p of txn.parents) {
        for (const [replica, counter] of Object.entries(after[p]!)) needed[replica] = Math.max(needed[replica] ?? 0, counter);
      }
      for (const [b, name] of names.entries()) {
        const list = updates[b]!;
        const k = next[txn.agent]!;
        while (b !== txn.agent && k[b]! < list.length && list[k[b]!]!.end <= (needed[name] ?? 0)) doc.apply(list[k[b]!++]!.bytes);
      }
      // Exactly the parents' history (and this author's own past), no more; nothing held.
      const now = doc.version();
      if (doc.pending !== 0 || names.some((name, b) => b !== txn.agent && (now[name] ?? 0) !== (needed[name] ?? 0))) {
        mismatches.push(i);
      }
      for (const p of txn.patches) patch(doc, p);
      after.push(doc.version());
      if (cut.has(i)) {
        updates[txn.agent]!.push({ end: doc.version()[doc.replica]!, bytes: doc.encode(starts[txn.agent]!) });
        starts[txn.agent] = doc.version();
      }
    });
    expect(mismatches).toEqual([]);
    // Finally every replica merges everything.
    for (const doc of agents) for (const other of agents) if (other !== doc) doc.apply(other.encode(doc.version()));
    for (const doc of agents) expect(doc.toString()).toBe(trace.endContent);
    expect(Buffer.from(agents[0]!.encode()).equals(Buffer.from(agents[1]!.encode()))).toBe(true);
  });
});
