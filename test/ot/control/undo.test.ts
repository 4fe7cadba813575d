import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OTClient, UndoManager, type OTType } from '../../../src/ot/control/index.js';
import { runs } from '../../helpers/property.js';
import { adapters, plainText, plainTextType, tandemRichText } from './doubles.js';
import { Network } from './network.js';

const { insert, remove } = plainText;

function local<S, O>(type: OTType<S, O>, snapshot: S, window = 500) {
  let time = 0;
  const client = new OTClient(type, { client: 'me', send: () => {}, snapshot });
  const undo = new UndoManager(client, { window, now: () => time });
  const tick = (ms: number) => (time += ms);
  return { client, undo, tick };
}

describe('UndoManager', () => {
  it('undoes and redoes a local op, and says when there is nothing to do', () => {
    const { client, undo } = local(plainTextType, 'abc');
    expect(undo.undo()).toBe(false);
    client.submit(remove(1, 1));
    expect(undo.canUndo).toBe(true);
    expect(undo.undo()).toBe(true);
    expect(client.document).toBe('abc');
    expect(undo.canUndo).toBe(false);
    expect(undo.redo()).toBe(true);
    expect(client.document).toBe('ac');
    expect(undo.redo()).toBe(false);
    expect(undo.undo()).toBe(true);
    expect(client.document).toBe('abc');
  });

  it('groups local ops within the window into one step and starts a new step after it', () => {
    const { client, undo, tick } = local(plainTextType, '', 500);
    client.submit(insert(0, 'a'));
    tick(100);
    client.submit(insert(1, 'b'));
    tick(499);
    client.submit(insert(2, 'c'));
    tick(500);
    client.submit(insert(3, 'd'));
    expect(undo.undo()).toBe(true);
    expect(client.document).toBe('abc');
    expect(undo.undo()).toBe(true);
    expect(client.document).toBe('');
    expect(undo.undo()).toBe(false);
  });

  it('starts a new step after stopCapturing and after an undo, whatever the window', () => {
    const { client, undo } = local(plainTextType, '', 10_000);
    client.submit(insert(0, 'a'));
    undo.stopCapturing();
    client.submit(insert(1, 'b'));
    undo.undo();
    expect(client.document).toBe('a');
    client.submit(insert(1, 'c'));
    undo.undo();
    expect(client.document).toBe('a');
  });

  it('makes every op its own step with a zero window', () => {
    const { client, undo } = local(plainTextType, '', 0);
    client.submit(insert(0, 'a'));
    client.submit(insert(1, 'b'));
    undo.undo();
    expect(client.document).toBe('a');
  });

  it('clears the redo stack on a new local op', () => {
    const { client, undo } = local(plainTextType, 'abc');
    client.submit(insert(0, 'x'));
    undo.undo();
    expect(undo.canRedo).toBe(true);
    client.submit(insert(0, 'y'));
    expect(undo.canRedo).toBe(false);
    expect(undo.redo()).toBe(false);
  });

  it('never undoes a remote op, and rewrites its steps through remote ops', () => {
    const { client, undo } = local(plainTextType, 'abc');
    client.submit(insert(3, '!'));
    client.receive({ kind: 'remote', revision: 1, op: insert(0, '>>') }); // >>abc!
    client.receive({ kind: 'remote', revision: 2, op: remove(3, 1) }); // >>ac!
    undo.undo();
    expect(client.document).toBe('>>ac');
    undo.redo();
    expect(client.document).toBe('>>ac!');
    client.receive({ kind: 'remote', revision: 3, op: insert(0, '#') }); // #>>ac!
    undo.undo();
    expect(client.document).toBe('#>>ac');
    expect(undo.undo()).toBe(false);
  });

  it('restores rich-text formatting and deleted formatted text', () => {
    const bold = [{ insert: 'bold', attributes: { bold: true } }, { insert: ' plain' }];
    const { client, undo, tick } = local(tandemRichText.type, bold);
    client.submit(tandemRichText.format!(0, 6, null));
    tick(1000);
    client.submit(tandemRichText.remove(0, 2));
    undo.undo();
    expect(client.document).toEqual([{ insert: 'bold plain' }]);
    undo.undo();
    expect(client.document).toEqual(bold);
    undo.redo();
    expect(client.document).toEqual([{ insert: 'bold plain' }]);
  });

  it('clears both stacks when the client adopts a snapshot', () => {
    const { client, undo } = local(plainTextType, 'abc');
    client.submit(insert(0, 'x'));
    client.connected();
    client.receive({ kind: 'snapshot', revision: 5, snapshot: 'zzz', receipt: { kind: 'applied', seq: 0, revision: 5 } });
    expect(undo.canUndo).toBe(false);
    expect(undo.undo()).toBe(false);
  });

  it('keeps at most `capacity` steps, dropping the oldest', () => {
    let time = 0;
    const client = new OTClient(plainTextType, { client: 'me', send: () => {}, snapshot: '' });
    const undo = new UndoManager(client, { window: 0, capacity: 2, now: () => time++ });
    for (const c of 'abc') client.submit(insert(client.document.length, c));
    expect(undo.undo()).toBe(true);
    expect(undo.undo()).toBe(true);
    expect(undo.undo()).toBe(false);
    expect(client.document).toBe('a');
  });

  it('stops following the client after destroy', () => {
    const { client, undo } = local(plainTextType, 'abc');
    undo.destroy();
    client.submit(insert(0, 'x'));
    expect(undo.canUndo).toBe(false);
  });

  it('refuses a type that cannot invert, and bad options', () => {
    const { invertWithDoc: _, ...blind } = plainTextType;
    const client = new OTClient(blind, { client: 'me', send: () => {} });
    expect(() => new UndoManager(client)).toThrow(TypeError);
    const ok = new OTClient(plainTextType, { client: 'me', send: () => {} });
    expect(() => new UndoManager(ok, { window: -1 })).toThrow(RangeError);
    expect(() => new UndoManager(ok, { capacity: 1.5 })).toThrow(RangeError);
    expect(() => new UndoManager(ok, { window: Number.NaN })).toThrow(RangeError);
  });
});

describe.each(adapters)('UndoManager with a server: $name', (adapter) => {
  it('undoing all of one client’s steps leaves exactly the others’ inserts; redoing all brings them back once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.nat(), fc.nat(3), fc.nat()), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 10),
        (edits, window) => {
          const net = new Network(adapter, 3);
          let time = 0;
          const undo = new UndoManager(net.clients[0]!, { window, now: () => time });
          const mine = new Set<string>();
          const theirs = new Set<string>();
          let marker = 0;
          for (const [who, at, deliveries, pick] of edits) {
            const client = net.clients[who]!;
            const c = String.fromCodePoint(0x4e00 + marker++);
            (who === 0 ? mine : theirs).add(c);
            client.submit(adapter.insert(at % ([...adapter.text(client.document)].length + 1), c));
            time += 7;
            for (let i = 0; i < deliveries; i++) net.step(pick + i);
          }
          net.settle();
          while (undo.undo()) net.settle();
          const after = adapter.text(net.server.snapshot);
          expect([...after].sort()).toEqual([...theirs].sort());
          while (undo.redo()) net.settle();
          const again = [...adapter.text(net.server.snapshot)];
          expect(again.sort()).toEqual([...mine, ...theirs].sort());
          for (const client of net.clients) expect(adapter.value(client.document)).toEqual(adapter.value(net.server.snapshot));
        },
      ),
      runs(40),
    );
  });
});

describe('UndoManager and ops it cannot invert', () => {
  it('clears its stacks rather than failing the edit', () => {
    let refuse = false;
    const picky: OTType<string, ReturnType<typeof insert>> = {
      ...plainTextType,
      invertWithDoc: (op, before) => {
        if (refuse) throw new Error('cannot invert');
        return plainTextType.invertWithDoc!(op, before);
      },
    };
    const client = new OTClient(picky, { client: 'me', send: () => {}, snapshot: 'abc' });
    const undo = new UndoManager(client, { window: 0 });
    client.submit(insert(0, 'x'));
    refuse = true;
    client.submit(insert(0, 'y'));
    expect(client.document).toBe('yxabc');
    expect(undo.canUndo).toBe(false);
  });
});

describe('UndoManager and rejected ops', () => {
  it('clears its stacks when the client rolls back a rejected op, so no undo restores text twice', () => {
    const { client, undo } = local(plainTextType, 'xyz');
    client.connected();
    client.receive({ kind: 'ready', revision: 0 });
    client.submit(remove(0, 3));
    client.receive({ kind: 'reject', seq: 0, reason: 'does-not-fit', detail: '' });
    expect(client.document).toBe('xyz');
    expect(undo.undo()).toBe(false);
    expect(client.document).toBe('xyz');
  });
});
