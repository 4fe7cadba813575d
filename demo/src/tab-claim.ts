/**
 * Telling a duplicated tab from a reload without Web Locks, which only secure contexts
 * have (the demo opened over plain http from another machine, `--host 0.0.0.0`, has
 * none). A page asks the other pages of its origin, over a broadcast channel, whether one
 * of them uses its tab id; each page answers for its own id for as long as it lives. A
 * reload finds nobody (the page it replaces is gone) and keeps its id and database; a
 * duplicated tab is answered and takes a new id. No DOM types: the page adapts its
 * `BroadcastChannel`, tests pass a stand-in.
 */

/** A broadcast channel as the claim uses it. */
export interface ClaimChannel {
  post(message: string): void;
  listen(listener: (message: unknown) => void): void;
  close(): void;
}

/** Whether another live page answers, within `wait` ms, that it uses `tab`. */
export function claimedElsewhere(open: () => ClaimChannel, tab: string, wait: number): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = open();
    const done = (claimed: boolean): void => {
      clearTimeout(timer);
      channel.close();
      resolve(claimed);
    };
    const timer = setTimeout(() => done(false), wait);
    channel.listen((message) => {
      if (message === `mine:${tab}`) done(true);
    });
    channel.post(`whose:${tab}`);
  });
}

/** Answers, for the rest of the page's life, that this page uses `tab`. */
export function answerClaims(open: () => ClaimChannel, tab: string): void {
  const channel = open();
  channel.listen((message) => {
    if (message === `whose:${tab}`) channel.post(`mine:${tab}`);
  });
}
