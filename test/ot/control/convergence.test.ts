import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../helpers/property.js';
import type { OTType } from '../../../src/ot/control/index.js';
import { adapters, type Adapter } from './doubles.js';
import { Network } from './network.js';

type Edit = 'insert' | 'delete' | 'format' | 'poison';

type Action =
  | readonly ['edit', number, Edit, number, number]
  | readonly ['deliver', number]
  | readonly ['disconnect', number, number]
  | readonly ['connect', number]
  | readonly ['prune', number]
  | readonly ['replay', number];

/** Inserting this character is refused by the server (as invalid-op), never by a client. */
const POISON = '☠';

/** The adapter's type, except that the server's `normalize` refuses an op inserting POISON. */
function refusingPoison<S, O>(adapter: Adapter<S, O>): OTType<S, O> {
  const { type } = adapter;
  return {
    ...type,
    normalize: (op) => {
      if (adapter.inserted(op).some((text) => text.includes(POISON))) throw new Error('poisoned op');
      return type.normalize === undefined ? op : type.normalize(op);
    },
  };
}

function scenario(kinds: readonly Edit[]) {
  return fc.integer({ min: 2, max: 6 }).chain((n) =>
    fc.record({
      clients: fc.constant(n),
      retention: fc.constantFrom(0, 1, 2, 5, 1000),
      maxClients: fc.constantFrom(1, 2, 100_000),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
      actions: fc.array(
        fc.oneof(
          {
            weight: 5,
            arbitrary: fc.tuple(fc.constant('edit' as const), fc.nat(n - 1), fc.constantFrom(...kinds), fc.nat(), fc.nat()),
          },
          { weight: 8, arbitrary: fc.tuple(fc.constant('deliver' as const), fc.nat()) },
          { weight: 1, arbitrary: fc.tuple(fc.constant('disconnect' as const), fc.nat(n - 1), fc.nat(3)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant('connect' as const), fc.nat(n - 1)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant('prune' as const), fc.nat(3)) },
          { weight: 1, arbitrary: fc.tuple(fc.constant('replay' as const), fc.nat()) },
        ),
        { minLength: 10, maxLength: 120 },
      ),
    }),
  );
}

interface Outcome {
  readonly texts: string[];
  readonly server: string;
  /** Markers of each kind of fate. */
  readonly rejected: Set<string>;
  readonly unconfirmed: Set<string>;
  readonly inserted: Set<string>;
}

/** Plays a scenario to quiescence, checking every client ends equal to the server. */
interface Run {
  readonly clients: number;
  readonly retention: number;
  readonly maxClients: number;
  readonly picks: readonly number[];
  readonly actions: readonly Action[];
}

function play<S, O>(adapter: Adapter<S, O>, run: Run): Outcome {
  const net = new Network(adapter, run.clients, { retention: run.retention, maxClients: run.maxClients }, refusingPoison(adapter));
  const inserted = new Set<string>();
  let marker = 0;
  const fresh = () => String.fromCodePoint(0x4e00 + marker++);
  for (const action of run.actions) {
    switch (action[0]) {
      case 'edit': {
        const [, i, kind, a, b] = action;
        const client = net.clients[i]!;
        const length = [...adapter.text(client.document)].length;
        if (kind === 'insert' || kind === 'poison' || length === 0) {
          const text = (kind === 'poison' ? POISON : '') + (b % 2 === 0 ? fresh() : fresh() + fresh());
          for (const c of text) if (c !== POISON) inserted.add(c);
          client.submit(adapter.insert(a % (length + 1), text));
        } else {
          const at = a % length;
          const span = 1 + (b % Math.min(3, length - at));
          if (kind === 'delete' || adapter.format === undefined) client.submit(adapter.remove(at, span));
          else client.submit(adapter.format(at, span, b % 3 === 0 ? null : b % 2 === 0));
        }
        break;
      }
      case 'deliver':
        net.step(action[1]);
        break;
      case 'disconnect':
        net.disconnect(action[1], action[2]);
        break;
      case 'connect':
        net.connect(action[1]);
        break;
      case 'prune':
        net.server.prune(action[1]);
        break;
      case 'replay':
        net.replay(action[1]);
        break;
    }
  }
  let k = 0;
  net.settle(() => run.picks[k++ % run.picks.length]!);

  const server = adapter.value(net.server.snapshot);
  const rejected = new Set<string>();
  const unconfirmed = new Set<string>();
  net.clients.forEach((client, i) => {
    expect(client.state, `client ${i} state`).toBe('synchronised');
    expect(client.connection).toBe('online');
    expect(client.revision).toBe(net.server.revision);
    expect(adapter.value(client.document), `client ${i} document`).toEqual(server);
    expect(adapter.value(client.confirmedDocument)).toEqual(server);
    for (const event of net.rejections[i]!) {
      const into = event.reason === 'unconfirmed' ? unconfirmed : rejected;
      for (const text of adapter.inserted(event.op)) for (const c of text) into.add(c);
    }
  });
  return { texts: net.clients.map((c) => adapter.text(c.document)), server: adapter.text(net.server.snapshot), rejected, unconfirmed, inserted };
}

function counts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of text) out.set(c, (out.get(c) ?? 0) + 1);
  return out;
}

describe.each(adapters)('control convergence: $name', (adapter) => {
  it('every client equals the server at quiescence, and no op is applied twice', () => {
    fc.assert(
      fc.property(scenario(['insert', 'insert', 'delete', 'format', 'poison']), (run) => {
        const outcome = play(adapter, run);
        expect(outcome.server).not.toContain(POISON);
        for (const [c, n] of counts(outcome.server)) expect(n, `marker ${c}`).toBe(1);
      }),
      runs(60),
    );
  });

  it('with inserts only, every op not taken back is applied exactly once', () => {
    fc.assert(
      fc.property(scenario(['insert', 'insert', 'insert', 'poison']), (run) => {
        const outcome = play(adapter, run);
        const seen = counts(outcome.server);
        expect(seen.has(POISON)).toBe(false);
        for (const c of outcome.inserted) {
          const n = seen.get(c) ?? 0;
          if (outcome.unconfirmed.has(c)) expect(n).toBeLessThanOrEqual(1);
          else if (outcome.rejected.has(c)) expect(n, `rejected marker ${c}`).toBe(0);
          else expect(n, `marker ${c}`).toBe(1);
        }
        expect(seen.size).toBeLessThanOrEqual(outcome.inserted.size);
      }),
      runs(60),
    );
  });
});
