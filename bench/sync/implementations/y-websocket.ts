/**
 * Yjs with y-websocket's `WebsocketProvider` (the `ws` package as its WebSocket), each
 * replica a `Y.Doc` whose root text `t` is the shared text.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ClientStack, Replica } from '../interfaces.js';

/** Yjs through y-websocket's provider. */
export const yWebsocket: ClientStack = {
  async connect(url, doc): Promise<Replica> {
    // Each provider adds a process 'exit' listener; 101 of them are expected here.
    process.setMaxListeners(Math.max(process.getMaxListeners(), 256));
    const ydoc = new Y.Doc();
    const text = ydoc.getText('t');
    const provider = new WebsocketProvider(url.replace(/^http/, 'ws'), doc, ydoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await new Promise<void>((resolve) => {
      if (provider.synced) resolve();
      else provider.once('sync', () => resolve());
    });
    return {
      length: () => text.length,
      onChange: (listener) => {
        text.observe((event) => {
          if (!event.transaction.local) listener();
        });
      },
      append: (s) => text.insert(text.length, s),
      // y-websocket has no acknowledgements: the update is on the socket once written.
      flushed: async () => {},
      close: async () => {
        provider.destroy();
        ydoc.destroy();
      },
    };
  },
};
