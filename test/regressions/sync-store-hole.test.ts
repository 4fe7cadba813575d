/**
 * Found by the network property in test/sync/network.test.ts: a store that kept a later
 * entry of a document but lost an earlier one in a crash made the hub fail to load the
 * document, so every subscribe got `internal` for good. The hub now holds such an entry
 * until a client's resent outbox fills the gap.
 */
import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../src/codec/index.js';
import { Text } from '../../src/crdt/index.js';
import { MemoryStore, SyncHub, decodeMessage, encodeMessage, type Message, type ServerMessage } from '../../src/sync/index.js';

describe('a document whose store lost an earlier entry', () => {
  it('still opens, and fills the gap from the client that resends it', async () => {
    const a = new Text({ replica: 'a' }).insert(0, 'x');
    const first = a.encode();
    const v1 = a.version();
    a.insert(1, 'y');
    const second = a.encode(v1);
    const store = new MemoryStore();
    await store.append('doc', 'text', 2, second);
    const errors: unknown[] = [];
    const hub = new SyncHub({ store, onError: (e) => errors.push(e) });
    const got: ServerMessage[] = [];
    const connection = hub.connect({ send: (f) => got.push(decodeMessage(f, resolveLimits(undefined)) as ServerMessage), close: () => {} });
    const send = (m: Message): void => connection.receive(encodeMessage(m));
    const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
    send({ kind: 'hello', protocol: 1, client: 'a', token: null });
    send({ kind: 'subscribe', doc: 'doc', type: 'text', version: {} });
    await settle();
    expect(got.filter((m) => m.kind === 'error')).toEqual([]);
    expect(got.some((m) => m.kind === 'synced')).toBe(true);
    send({ kind: 'update', doc: 'doc', seq: 1, update: first });
    await settle();
    expect(got.filter((m) => m.kind === 'ack').map((m) => (m as { seq: number }).seq)).toEqual([1]);
    await hub.close();
    const reader = new Text({ replica: 'r' });
    const again = new SyncHub({ store });
    const probe: ServerMessage[] = [];
    const c = again.connect({ send: (f) => probe.push(decodeMessage(f, resolveLimits(undefined)) as ServerMessage), close: () => {} });
    c.receive(encodeMessage({ kind: 'hello', protocol: 1, client: 'r', token: null }));
    c.receive(encodeMessage({ kind: 'subscribe', doc: 'doc', type: 'text', version: {} }));
    await settle();
    const synced = probe.find((m) => m.kind === 'synced') as { update: Uint8Array };
    reader.apply(synced.update);
    expect(reader.toString()).toBe('xy');
    await again.close();
  });
});
