/**
 * Tandem: a `SyncClient` per replica over a WebSocket (the `ws` package), each opening the
 * document as a `Text`. A local insert is sent by the client as it happens.
 */
import WebSocket from 'ws';
import { Text } from '../../../src/crdt/index.js';
import { SyncClient, webSocketTransport, type WebSocketConstructor } from '../../../src/sync/index.js';
import type { ClientStack, Replica } from '../interfaces.js';

/** Tandem through `SyncClient`. */
export const tandem: ClientStack = {
  async connect(url, doc): Promise<Replica> {
    const client = new SyncClient({ transports: [webSocketTransport(`${url.replace(/^http/, 'ws')}/sync`, WebSocket as unknown as WebSocketConstructor)] });
    const text = await client.open(doc, Text);
    return {
      length: () => text.length,
      onChange: (listener) => {
        text.on('change', (event) => {
          if (event.origin === 'remote') listener();
        });
      },
      append: (s) => {
        text.insert(text.length, s);
      },
      flushed: () => client.synced(),
      close: () => client.close(),
    };
  },
};
