/**
 * The editing traces: where they live, how they are read, and the checks that every
 * transaction is well formed before any library sees it.
 *
 * The traces are read from the shared directory beside the project (`../shared/traces`
 * from the project root), or from `TANDEM_TRACES` when set; they are never copied into
 * the repository (automerge-paper carries no licence). Its README describes the format:
 * gzipped JSON, sequential `{ endContent, txns: [{ patches }] }` or concurrent
 * `{ kind: 'concurrent', numAgents, endContent, txns: [{ parents, agent, patches }] }`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ConcurrentTrace, ConcurrentTxn, SequentialTrace, TracePatch } from './interfaces.js';

/** The sequential traces the suite runs by default. */
export const SEQUENTIAL_TRACES = ['automerge-paper', 'seph-blog1'] as const;

/** The concurrent traces the suite runs by default. */
export const CONCURRENT_TRACES = ['friendsforever.concurrent'] as const;

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The directory the traces are read from: `TANDEM_TRACES`, else `../shared/traces`. */
export function tracesDirectory(): string {
  const override = process.env.TANDEM_TRACES;
  return override !== undefined && override !== ''
    ? resolve(override)
    : resolve(PROJECT_ROOT, '..', 'shared', 'traces');
}

/** A trace file that does not follow the README's format. */
export class TraceError extends Error {
  constructor(trace: string, rule: string) {
    super(`trace ${trace}: ${rule}`);
    this.name = 'TraceError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A trace file's JSON object, with the two fields every trace has already checked. */
interface TraceJson {
  readonly json: Record<string, unknown>;
  readonly endContent: string;
  readonly txns: readonly unknown[];
}

function readJson(name: string): TraceJson {
  const path = resolve(tracesDirectory(), `${name}.json.gz`);
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString('utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TraceError(name, `cannot read ${path} (set TANDEM_TRACES to the traces directory): ${reason}`);
  }
  const json: unknown = JSON.parse(text);
  if (!isRecord(json)) throw new TraceError(name, 'the file must hold a JSON object');
  const { endContent, txns } = json;
  if (typeof endContent !== 'string') throw new TraceError(name, 'endContent must be a string');
  if (!Array.isArray(txns)) throw new TraceError(name, 'txns must be an array');
  return { json, endContent, txns };
}

/**
 * Checks one transaction's patches; positions are checked against a running document
 * length where the caller knows it (sequential traces).
 */
function readPatches(name: string, index: number, patches: unknown): TracePatch[] {
  if (!Array.isArray(patches)) throw new TraceError(name, `txns[${index}].patches must be an array`);
  return patches.map((patch: unknown, p) => {
    if (
      !Array.isArray(patch) ||
      patch.length !== 3 ||
      !isCount(patch[0]) ||
      !isCount(patch[1]) ||
      typeof patch[2] !== 'string'
    ) {
      throw new TraceError(name, `txns[${index}].patches[${p}] must be [position, deleteCount, insertString]`);
    }
    if (patch[1] === 0 && patch[2] === '') {
      throw new TraceError(name, `txns[${index}].patches[${p}] neither deletes nor inserts`);
    }
    return [patch[0], patch[1], patch[2]];
  });
}

/**
 * Reads a sequential trace and checks it: every patch well formed and inside the
 * document as it stands, and the final length equal to `endContent`'s.
 * @throws {TraceError} when the file is missing or breaks the format.
 */
export function loadSequentialTrace(name: string): SequentialTrace {
  const { json, endContent, txns: raw } = readJson(name);
  if (json.startContent !== undefined && json.startContent !== '') {
    throw new TraceError(name, 'startContent must be empty');
  }
  let length = 0;
  let patches = 0;
  const txns = raw.map((txn, index) => {
    if (!isRecord(txn)) throw new TraceError(name, `txns[${index}] must be an object`);
    const read = readPatches(name, index, txn.patches);
    for (const [position, deleteCount, insert] of read) {
      if (position + deleteCount > length) {
        throw new TraceError(name, `txns[${index}] edits past the end of the document (length ${length})`);
      }
      length += insert.length - deleteCount;
    }
    patches += read.length;
    return read;
  });
  if (length !== endContent.length) {
    throw new TraceError(name, `the patches end at length ${length}, endContent has ${endContent.length}`);
  }
  return { kind: 'sequential', name, endContent, txns, patches };
}

/**
 * Reads a concurrent trace and checks it: agents in range, parents earlier in the list
 * and distinct, patches well formed.
 * @throws {TraceError} when the file is missing or breaks the format.
 */
export function loadConcurrentTrace(name: string): ConcurrentTrace {
  const { json, endContent, txns: raw } = readJson(name);
  if (json.kind !== 'concurrent') throw new TraceError(name, `kind must be "concurrent"`);
  const agents = json.numAgents;
  if (!isCount(agents) || agents === 0) throw new TraceError(name, 'numAgents must be a positive integer');
  let patches = 0;
  const txns = raw.map((txn, index): ConcurrentTxn => {
    if (!isRecord(txn)) throw new TraceError(name, `txns[${index}] must be an object`);
    const { parents, agent } = txn;
    if (!isCount(agent) || agent >= agents) {
      throw new TraceError(name, `txns[${index}].agent must be an integer below numAgents (${agents})`);
    }
    if (
      !Array.isArray(parents) ||
      !parents.every((parent) => isCount(parent) && parent < index) ||
      new Set(parents).size !== parents.length
    ) {
      throw new TraceError(name, `txns[${index}].parents must list distinct earlier transactions`);
    }
    const read = readPatches(name, index, txn.patches);
    patches += read.length;
    return { parents: parents.filter(isCount), agent, patches: read };
  });
  return { kind: 'concurrent', name, endContent, agents, txns, patches };
}
