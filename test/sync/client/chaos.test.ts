/**
 * Random sessions against the hub: edits, cut connections, lost acknowledgements and
 * reloads from storage, in any order. Once everyone is back online and synced, every
 * replica holds the same document, and every character ever typed appears in it exactly
 * once (no edit lost, none applied twice).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Text } from '../../../src/crdt/index.js';
import type { OTTextDocument } from '../../../src/sync/ot-document.js';
import { MemoryStorage } from '../../../src/sync/storage.js';
import { runs } from '../../helpers/property.js';
import { world, type Connected } from './harness.js';

type Step =
  | { readonly kind: 'edit'; readonly who: number; readonly at: number }
  | { readonly kind: 'cut'; readonly who: number }
  | { readonly kind: 'reconnect'; readonly who: number }
  | { readonly kind: 'reload'; readonly who: number }
  | { readonly kind: 'lose-acks'; readonly on: boolean }
  | { readonly kind: 'wait' };

const CLIENTS = 3;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), who: fc.nat(CLIENTS - 1), at: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), who: fc.nat(CLIENTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), who: fc.nat(CLIENTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), who: fc.nat(CLIENTS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lose-acks' as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'wait' as const }) },
);

/** One document kind, as the chaos run drives it. */
interface Subject {
  open(c: Connected): Promise<{ read(): string; insert(at: number, text: string): void }>;
}

const subjects: Record<string, Subject> = {
  'replicated Text': {
    async open(c) {
      const doc = await c.client.open('doc', Text);
      return { read: () => doc.toString(), insert: (at, text) => void doc.insert(Math.min(at, doc.length), text) };
    },
  },
  'OT text': {
    async open(c) {
      const doc: OTTextDocument = await c.client.openOT('doc', 'text');
      return { read: () => doc.value, insert: (at, text) => void doc.insert(Math.min(at, doc.value.length), text) };
    },
  },
};

for (const [name, subject] of Object.entries(subjects)) {
  describe(`chaos: ${name}`, () => {
    it('converges with every character once, whatever the cuts, lost acks and reloads', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
          const w = world();
          try {
            const storages = Array.from({ length: CLIENTS }, () => new MemoryStorage());
            const clients: Connected[] = storages.map((storage) => w.client({ storage }));
            const docs = await Promise.all(clients.map((c) => subject.open(c)));
            let typed = 0;
            for (const s of steps) {
              switch (s.kind) {
                case 'edit':
                  docs[s.who]!.insert(s.at, String.fromCharCode(0x4e00 + typed++));
                  break;
                case 'cut':
                  clients[s.who]!.transport.reachable = false;
                  clients[s.who]!.transport.cut();
                  break;
                case 'reconnect':
                  clients[s.who]!.transport.reachable = true;
                  break;
                case 'reload': {
                  const reachable = clients[s.who]!.transport.reachable;
                  await clients[s.who]!.client.close();
                  clients[s.who] = w.client({ storage: storages[s.who]! });
                  clients[s.who]!.transport.reachable = reachable;
                  docs[s.who] = await subject.open(clients[s.who]!);
                  break;
                }
                case 'lose-acks':
                  w.lossy.dropReplies = s.on;
                  break;
                case 'wait':
                  await new Promise((resolve) => setTimeout(resolve, 3));
                  break;
              }
            }
            w.lossy.dropReplies = false;
            // Connections that lost replies hold ops in flight forever: cut them so they resend.
            for (const c of clients) {
              c.transport.cut();
              c.transport.reachable = true;
            }
            await Promise.all(clients.map((c) => c.client.synced()));
            await Promise.all(clients.map((c) => c.client.synced()));
            const text = docs[0]!.read();
            for (const doc of docs) expect(doc.read()).toBe(text);
            expect([...text].sort().join('')).toBe(Array.from({ length: typed }, (_, i) => String.fromCharCode(0x4e00 + i)).join(''));
            const observer = await subject.open(w.client());
            expect(observer.read()).toBe(text);
            for (const c of clients) expect(c.client.pending).toBe(0);
          } finally {
            await w.close();
          }
        }),
        { ...runs(15), timeout: 4000 },
      );
    });
  });
}
