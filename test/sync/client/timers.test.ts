import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Text } from '../../../src/crdt/index.js';
import { SyncClient, type ClientStatus } from '../../../src/sync/client.js';
import { SyncHub } from '../../../src/sync/hub.js';
import { MemoryTransport } from '../../../src/sync/memory-transport.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { MemoryStore } from '../../../src/sync/store.js';
import type { Transport } from '../../../src/sync/transport.js';

/** A transport whose every attempt fails, recording when each began. */
function unreachable(times: number[]): Transport {
  return {
    name: 'unreachable',
    connect(_request, events) {
      times.push(Date.now());
      void Promise.resolve().then(() => events.close(new Error('refused')));
      return { send() {}, close() {} };
    },
  };
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SyncClient: reconnection and heartbeat', () => {
  it('waits base · 2^n with jitter between attempts, up to the cap', async () => {
    const times: number[] = [];
    const client = new SyncClient({ transports: [unreachable(times)], random: () => 0.5, storage: new MemoryStorage() });
    await vi.advanceTimersByTimeAsync(40_000);
    await client.close();
    // Full jitter with random 0.5: half the ceiling 250, 500, 1000, … capped at 10 000.
    expect(gaps(times).slice(0, 9)).toEqual([125, 250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('honours custom backoff options at the top of the jitter range', async () => {
    const later: number[] = [];
    const high = new SyncClient({ transports: [unreachable(later)], random: () => 0.999, backoff: { base: 100, factor: 3, cap: 400 }, storage: new MemoryStorage() });
    await vi.advanceTimersByTimeAsync(3000);
    await high.close();
    expect(gaps(later).slice(0, 4)).toEqual([99, 299, 399, 399]);
  });

  it('stops retrying after close()', async () => {
    const times: number[] = [];
    const client = new SyncClient({ transports: [unreachable(times)], random: () => 0.5, storage: new MemoryStorage() });
    await vi.advanceTimersByTimeAsync(1000);
    await client.close();
    const count = times.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(times.length).toBe(count);
    expect(client.status).toBe('offline');
  });

  it('falls back to the next transport after fallbackAfter failed attempts, and syncs there', async () => {
    const hub = new SyncHub({ store: new MemoryStore() });
    const times: number[] = [];
    const client = new SyncClient({ transports: [unreachable(times), new MemoryTransport(hub)], fallbackAfter: 3, random: () => 0.5, storage: new MemoryStorage() });
    await vi.advanceTimersByTimeAsync(5000);
    expect(times.length).toBe(3);
    expect(client.transport).toBe('memory');
    expect(client.status).toBe('online');
    const text = await client.open('notes', Text);
    text.insert(0, 'via fallback');
    const done = client.synced();
    await vi.advanceTimersByTimeAsync(10);
    await done;
    await client.close();
    await hub.close();
  });

  it('detects a silent connection within three heartbeats and reconnects', async () => {
    const hub = new SyncHub({ store: new MemoryStore(), heartbeat: 1000 });
    const transport = new MemoryTransport(hub);
    const client = new SyncClient({ transports: [transport], random: () => 0.5, storage: new MemoryStorage() });
    const statuses: [ClientStatus, number][] = [];
    client.on('status', (status) => statuses.push([status, Date.now()]));
    await vi.advanceTimersByTimeAsync(100);
    expect(client.status).toBe('online');
    // Pings keep a healthy connection open well past two heartbeats.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.status).toBe('online');
    expect(statuses.filter(([s]) => s === 'offline')).toEqual([]);
    const silentAt = Date.now();
    transport.silent = true;
    await vi.advanceTimersByTimeAsync(3100);
    const offline = statuses.find(([s]) => s === 'offline');
    expect(offline).toBeDefined();
    expect(offline![1] - silentAt).toBeLessThanOrEqual(3000);
    expect(offline![1] - silentAt).toBeGreaterThanOrEqual(1000);
    transport.silent = false;
    await vi.advanceTimersByTimeAsync(12_000);
    expect(client.status).toBe('online');
    await client.close();
    await hub.close();
  });

  it('after a successful connection the backoff starts again from the base', async () => {
    const hub = new SyncHub({ store: new MemoryStore() });
    const transport = new MemoryTransport(hub);
    transport.reachable = false;
    const client = new SyncClient({ transports: [transport], random: () => 0.5, storage: new MemoryStorage() });
    await vi.advanceTimersByTimeAsync(8000);
    transport.reachable = true;
    await vi.advanceTimersByTimeAsync(6000);
    expect(client.status).toBe('online');
    const statuses: [ClientStatus, number][] = [];
    client.on('status', (status) => statuses.push([status, Date.now()]));
    transport.cut();
    await vi.advanceTimersByTimeAsync(1000);
    const offline = statuses.find(([s]) => s === 'offline')![1];
    const connecting = statuses.find(([s]) => s === 'connecting')![1];
    expect(connecting - offline).toBe(125);
    expect(client.status).toBe('online');
    await client.close();
    await hub.close();
  });
});
