/**
 * Tandem's server with a minimal protocol client instead of `SyncClient`: a WebSocket,
 * `hello`, `subscribe`, each update applied to a `Text` as it arrives, each local edit
 * sent as one delta, and a `ping` every half heartbeat; no client storage, no outbox. It separates the server's and
 * the wire's cost from the full client's (which stores each document before sending).
 */
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../../src/codec/index.js';
import { Text, createReplicaId } from '../../../src/crdt/index.js';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type Message } from '../../../src/sync/protocol.js';
import type { ClientStack, Replica } from '../interfaces.js';

/** Tandem through the minimal protocol client. */
export const tandemProtocol: ClientStack = {
  async connect(url, doc): Promise<Replica> {
    const client = createReplicaId();
    const text = new Text({ replica: client });
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/sync`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const send = (m: Message): void => socket.send(encodeMessage(m));
    let seq = 0;
    let acked = 0;
    let onAck = (): void => {};
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    const synced = new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const m = decodeMessage(data, DEFAULT_LIMITS);
        if (m.kind === 'update') text.apply(m.update);
        else if (m.kind === 'welcome') {
          // The server closes a connection silent for two heartbeats.
          heartbeat = setInterval(() => send({ kind: 'ping', nonce: 0 }), m.heartbeat / 2);
        }
        else if (m.kind === 'ack') {
          acked = m.seq;
          onAck();
        } else if (m.kind === 'synced') {
          if (m.update.length > 0) text.apply(m.update);
          resolve();
        } else if (m.kind === 'error') {
          const error = new Error(`${m.code}: ${m.message}`);
          reject(error);
          console.error(`tandem-protocol client: ${error.message}`);
        }
      });
    });
    send({ kind: 'hello', protocol: PROTOCOL_VERSION, client, token: null });
    send({ kind: 'subscribe', doc, type: 'text', version: {} });
    await synced;
    return {
      length: () => text.length,
      onChange: (listener) => {
        text.on('change', (event) => {
          if (event.origin === 'remote') listener();
        });
      },
      append: (s) => {
        const before = text.version();
        text.insert(text.length, s);
        send({ kind: 'update', doc, seq: ++seq, update: text.encode(before) });
      },
      flushed: () =>
        new Promise<void>((resolve) => {
          if (acked === seq) resolve();
          else onAck = () => acked === seq && resolve();
        }),
      close: async () => {
        clearInterval(heartbeat);
        socket.close();
        await new Promise((resolve) => (socket.readyState === WebSocket.CLOSED ? resolve(undefined) : socket.once('close', resolve)));
      },
    };
  },
};
