import { describe, expect, it } from 'vitest';
import { answerClaims, claimedElsewhere, type ClaimChannel } from '../../demo/src/tab-claim.js';

/** An in-memory broadcast bus: a message reaches every open channel but the sender, later. */
function bus(): { open: () => ClaimChannel; readonly openCount: () => number } {
  const channels = new Set<{ listeners: ((message: unknown) => void)[] }>();
  const open = (): ClaimChannel => {
    const self = { listeners: [] as ((message: unknown) => void)[] };
    channels.add(self);
    return {
      post: (message) => {
        for (const other of channels) if (other !== self) setTimeout(() => other.listeners.forEach((l) => l(message)), 1);
      },
      listen: (listener) => void self.listeners.push(listener),
      close: () => void channels.delete(self),
    };
  };
  return { open, openCount: () => channels.size };
}

describe('demo tabs without Web Locks: the broadcast claim', () => {
  it('a reload (nobody uses the id) keeps it; a duplicated tab (a live page answers) does not', async () => {
    const { open, openCount } = bus();
    expect(await claimedElsewhere(open, 'tab-1', 50)).toBe(false);
    // The first page keeps answering for its id.
    answerClaims(open, 'tab-1');
    expect(await claimedElsewhere(open, 'tab-1', 50)).toBe(true);
    expect(await claimedElsewhere(open, 'tab-2', 50)).toBe(false);
    // Only the answering page's channel stays open.
    expect(openCount()).toBe(1);
  });
});
