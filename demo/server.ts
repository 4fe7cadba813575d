/**
 * Starts the demo: a `SyncServer` with its LevelDB in `dataDir`, which also serves the
 * page (built once at start) on the same port. The command line is `main.ts`; tests call
 * {@link startDemo} directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SyncServer } from '../src/server/server.js';
import { buildPage, type PageFile } from './page.js';

/** Where the demo listens and keeps its data. */
export interface DemoOptions {
  /** Default 8787; 0 picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** The server's LevelDB directory (created when missing). */
  readonly dataDir: string;
}

/** A running demo. */
export interface Demo {
  /** The page, `http://host:port/`; add `?room=…&user=…`. */
  readonly url: string;
  /** Closes every connection, waits until every accepted change is durable, and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds the page and starts the server.
 * @throws {Error} when the page does not build, the database cannot be opened, or the port cannot be bound.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const page = await buildPage();
  const server = new SyncServer({
    dataDir: options.dataDir,
    onRequest: (request, response) => servePage(page, request, response),
    // One line per failure: a browser tab closing mid-message is routine here.
    logger: { info: () => {}, error: (message, error) => console.error(`demo server: ${message}${error instanceof Error ? `: ${error.message}` : ''}`) },
  });
  const { url } = await server.listen({ port: options.port ?? 8787, host: options.host ?? '127.0.0.1' });
  return { url: `${url}/`, close: () => server.close() };
}

/** Answers GET and HEAD for the page's files; the page itself for `/` and `/index.html`. */
function servePage(page: ReadonlyMap<string, PageFile>, request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const file = page.get(path === '/index.html' ? '/' : path);
  if (file === undefined) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.body.byteLength,
    // Always revalidated: a restarted demo (a rebuilt bundle) is picked up at once.
    'Cache-Control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}
