/**
 * The code paths that need browser APIs, over small stand-ins written here: IndexedDB
 * (no fake-indexeddb in this repository; real IndexedDB is left to the browser e2e tests)
 * and WebSocket message handling.
 */
import { describe, expect, it } from 'vitest';
import { IndexedDBStorage, type IDBFactoryLike } from '../../../src/sync/indexeddb-storage.js';
import { webSocketTransport, type WebSocketConstructor } from '../../../src/sync/websocket-transport.js';

/** An IndexedDB stand-in: one database, transactions completing on a later task, writes applied at commit. */
function fakeIndexedDB(options: { abortOn?: string } = {}) {
  const data = new Map<string, unknown>();
  const stores = new Set<string>();
  let upgrades = 0;
  const database = {
    objectStoreNames: { contains: (name: string) => stores.has(name) },
    createObjectStore(name: string) {
      stores.add(name);
      upgrades++;
    },
    transaction(_store: string, mode: 'readonly' | 'readwrite') {
      const writes: (() => void)[] = [];
      let abort = false;
      const request = <T>(compute: () => T) => {
        // Read at request time; the transaction completes on a later task.
        return { result: compute(), error: null as unknown, onsuccess: null, onerror: null };
      };
      const tx = {
        error: null as unknown,
        oncomplete: null as ((event: unknown) => void) | null,
        onerror: null as ((event: unknown) => void) | null,
        onabort: null as ((event: unknown) => void) | null,
        objectStore: () => ({
          get: (key: string) => request(() => data.get(key)),
          put: (value: unknown, key: string) => {
            if (mode !== 'readwrite') throw new Error('read-only transaction');
            if (key === options.abortOn) abort = true;
            writes.push(() => data.set(key, value));
            return request(() => key);
          },
          delete: (key: string) => {
            writes.push(() => data.delete(key));
            return request(() => undefined);
          },
          getAllKeys: () => request(() => [...data.keys()]),
        }),
      };
      setTimeout(() => {
        if (abort) {
          tx.error = new Error('quota exceeded');
          tx.onabort?.({});
          return;
        }
        for (const write of writes) write();
        tx.oncomplete?.({});
      }, 1);
      return tx;
    },
    close() {},
  };
  const factory: IDBFactoryLike = {
    open() {
      const r = {
        result: database,
        error: null as unknown,
        onsuccess: null as ((event: unknown) => void) | null,
        onerror: null as ((event: unknown) => void) | null,
        onupgradeneeded: null as ((event: unknown) => void) | null,
        onblocked: null as ((event: unknown) => void) | null,
      };
      setTimeout(() => {
        if (!stores.has('values')) r.onupgradeneeded?.({});
        r.onsuccess?.({});
      }, 0);
      return r;
    },
  };
  return { factory, data, upgrades: () => upgrades };
}

describe('IndexedDBStorage over a stand-in', () => {
  it('creates its store once, stores copies, reads back, lists by prefix and deletes', async () => {
    const idb = fakeIndexedDB();
    const storage = new IndexedDBStorage('app', idb.factory);
    const value = new Uint8Array([1, 2, 3]);
    await storage.set('doc:a', value);
    value[0] = 9;
    await storage.set('doc:b', new Uint8Array([4]));
    await storage.set('client', new Uint8Array([5]));
    expect(Array.from((await storage.get('doc:a'))!)).toEqual([1, 2, 3]);
    expect((await storage.keys('doc:')).sort()).toEqual(['doc:a', 'doc:b']);
    await storage.delete('doc:a');
    expect(await storage.get('doc:a')).toBeUndefined();
    expect(idb.upgrades()).toBe(1);
    await storage.close();
    expect(Array.from((await storage.get('client'))!)).toEqual([5]);
  });

  it('an aborted write rejects and leaves the old value', async () => {
    const idb = fakeIndexedDB({ abortOn: 'doc:full' });
    const storage = new IndexedDBStorage('app', idb.factory);
    await expect(storage.set('doc:full', new Uint8Array([1]))).rejects.toThrow(/quota/);
    expect(await storage.get('doc:full')).toBeUndefined();
  });

  it('a value that is not bytes is an error naming the key', async () => {
    const idb = fakeIndexedDB();
    idb.data.set('doc:x', 'text');
    await expect(new IndexedDBStorage('app', idb.factory).get('doc:x')).rejects.toThrow(/doc:x/);
  });
});

class FakeSocket {
  static made: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  sent: Uint8Array[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code;
  }
}

describe('webSocketTransport', () => {
  it('asks for array buffers, hands binary messages over as frames, and closes on a text message', () => {
    const transport = webSocketTransport('ws://example.test/sync', FakeSocket as unknown as WebSocketConstructor);
    const log: string[] = [];
    const connection = transport.connect({ client: 'c' }, {
      open: () => log.push('open'),
      frame: (frame) => log.push(`frame ${Array.from(frame).join(',')}`),
      close: (error) => log.push(`close ${error?.message ?? ''}`),
    });
    const socket = FakeSocket.made.at(-1)!;
    expect(socket.url).toBe('ws://example.test/sync');
    expect(socket.binaryType).toBe('arraybuffer');
    socket.onopen!({});
    socket.onmessage!({ data: new Uint8Array([1, 2]).buffer });
    connection.send(new Uint8Array([3]));
    socket.onmessage!({ data: 'text' });
    socket.onmessage?.({ data: new Uint8Array([4]).buffer });
    socket.onclose?.({});
    expect(log).toEqual(['open', 'frame 1,2', 'close the server sent a message that is not binary']);
    expect(socket.closedWith).toBe(1003);
    expect(socket.sent.map((f) => Array.from(f))).toEqual([[3]]);
  });

  it('after close() no event is reported, and an error then close is reported once', () => {
    const transport = webSocketTransport('ws://example.test/sync', FakeSocket as unknown as WebSocketConstructor);
    const log: string[] = [];
    const events = { open: () => log.push('open'), frame: () => log.push('frame'), close: () => log.push('close') };
    const first = transport.connect({ client: 'c' }, events);
    const a = FakeSocket.made.at(-1)!;
    first.close();
    expect(a.closedWith).toBe(1000);
    expect(a.onmessage).toBeNull();
    transport.connect({ client: 'c' }, events);
    const b = FakeSocket.made.at(-1)!;
    b.onerror!({});
    b.onclose?.({});
    expect(log).toEqual(['close']);
  });

  it('without a WebSocket on the platform or in the options it refuses, naming the way out', () => {
    expect(() => webSocketTransport('ws://x/sync', undefined)).toThrow(/no WebSocket/);
  });
});
