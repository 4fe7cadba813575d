/**
 * The LevelStore's append rate, one at a time (each awaited before the next, as the hub
 * writes one document's updates) and all at once (group commit: appends that arrive
 * while a batch is being written share the next fsync).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStore } from '../../src/server/level-store.js';

/** Appends per second in each mode. */
export interface AppendRates {
  readonly appends: number;
  readonly bytes: number;
  readonly oneAtATime: number;
  readonly allAtOnce: number;
}

/** Measures `appends` appends of `bytes` bytes each way, in a fresh store. */
export async function measureAppends(appends: number, bytes: number): Promise<AppendRates> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-store-'));
  const store = await LevelStore.open(dir);
  try {
    const entry = new Uint8Array(bytes);
    let start = performance.now();
    for (let seq = 1; seq <= appends; seq++) await store.append('serial', 'text', seq, entry);
    const oneAtATime = appends / ((performance.now() - start) / 1000);
    start = performance.now();
    await Promise.all(Array.from({ length: appends }, (_, i) => store.append('grouped', 'text', i + 1, entry)));
    const allAtOnce = appends / ((performance.now() - start) / 1000);
    return { appends, bytes, oneAtATime, allAtOnce };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
