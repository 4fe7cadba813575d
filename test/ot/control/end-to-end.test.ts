import { describe, expect, it } from 'vitest';
import { UndoManager, type RichTextDocument } from '../../../src/ot/index.js';
import { tandemRichText, tandemText } from './doubles.js';
import { Network } from './network.js';

describe('control algorithm end to end, with Tandem’s own types', () => {
  it('two writers edit plain text concurrently, one drops off and comes back, and both end equal to the server', () => {
    const net = new Network(tandemText, 2);
    net.settle();
    const [alice, bob] = net.clients as [typeof net.clients[0], typeof net.clients[0]];
    alice.submit([{ insert: 'Hello' }]);
    bob.submit([{ insert: 'World' }]);
    net.step(0);
    net.disconnect(1, 1); // bob's op reaches the server; its ack is lost
    alice.submit([{ retain: 5 }, { insert: ', ' }]);
    bob.submit([{ insert: '> ' }]);
    net.settle();
    expect(net.server.snapshot).toBe(alice.document);
    expect(bob.document).toBe(net.server.snapshot);
    expect(net.server.snapshot).toMatch(/^(?=.*Hello, )(?=.*World)(?=.*> )/);
    expect(net.server.revision).toBe(4);
  });

  it('undo restores formatting another writer’s concurrent insert does not disturb', () => {
    const start: RichTextDocument = [{ insert: 'plain text' }];
    const net = new Network(tandemRichText, 2);
    net.settle();
    const [alice, bob] = net.clients as [typeof net.clients[0], typeof net.clients[0]];
    alice.submit([{ insert: 'plain text' }]);
    net.settle();
    expect(bob.document).toEqual(start);
    const undo = new UndoManager(alice, { window: 0 });
    alice.submit([{ retain: 5, attributes: { bold: true } }]);
    bob.submit([{ retain: 10 }, { insert: '!' }]);
    net.settle();
    expect(net.server.snapshot).toEqual([{ insert: 'plain', attributes: { bold: true } }, { insert: ' text!' }]);
    expect(undo.undo()).toBe(true);
    net.settle();
    expect(net.server.snapshot).toEqual([{ insert: 'plain text!' }]);
    expect(bob.document).toEqual(net.server.snapshot);
  });
});
