/**
 * The fan-out benchmark's server process: `node --import tsx bench/sync/server.ts <stack>`
 * starts the named server on a free loopback port and prints `{"url": ...}` on one line.
 * It runs apart from the clients so that they do not share its event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MemoryStore, SyncServer } from '../../src/server/index.js';

const stack = process.argv[2];
/** The benchmark's writer sends far more than the default 1,000 messages a second. */
const limits = { maxMessagesPerSecond: 1_000_000 };

if (stack === 'tandem' || stack === 'tandem-memory') {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-bench-sync-'));
  const server = new SyncServer(stack === 'tandem' ? { dataDir, limits } : { store: new MemoryStore(), limits });
  const { url } = await server.listen({ port: 0 });
  const stop = (): void => {
    void server.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  console.log(JSON.stringify({ url }));
} else if (stack === 'y-websocket') {
  const require = createRequire(import.meta.url);
  const { setupWSConnection } = require('y-websocket/bin/utils') as { setupWSConnection: (socket: WebSocket, request: unknown) => void };
  const http = createServer((_request, response) => response.writeHead(404).end());
  const sockets = new WebSocketServer({ server: http });
  sockets.on('connection', (socket, request) => setupWSConnection(socket, request));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.on('SIGTERM', () => process.exit(0));
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
} else {
  console.error(`usage: server.ts tandem | tandem-memory | y-websocket (got ${String(stack)})`);
  process.exit(2);
}
