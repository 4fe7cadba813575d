import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from '../../src/crdt/index.js';
import { SyncServer, type ServerLogger, type SyncServerOptions } from '../../src/server/index.js';
import { RawClient, SyncedDoc } from './raw-client.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(options: Omit<SyncServerOptions, 'dataDir'>): Promise<{ http: string; ws: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-on-request-'));
  const server = new SyncServer({ dataDir, ...options });
  const { url } = await server.listen({ port: 0 });
  cleanup.push(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { http: url, ws: `${url.replace('http', 'ws')}/sync` };
}

/** A logger that keeps the errors it is given. */
function recording(): ServerLogger & { readonly errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => {}, error: (message) => void errors.push(message) };
}

describe('SyncServer onRequest', () => {
  it('serves other paths through onRequest while the sync endpoints keep working', async () => {
    const seen: string[] = [];
    const { http, ws } = await start({
      onRequest: (request, response) => {
        seen.push(`${request.method} ${request.url}`);
        response.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>the page</p>');
      },
    });
    const page = await fetch(`${http}/?room=lobby`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<p>the page</p>');
    expect((await fetch(`${http}/main.js`)).status).toBe(200);
    const health = await fetch(`${http}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', connections: 0, documents: 0 });
    expect((await fetch(`${http}/sync`)).status).toBe(426);
    expect(seen).toEqual(['GET /?room=lobby', 'GET /main.js']);
    const raw = await RawClient.connect(ws, 'alice', { token: null });
    cleanup.push(() => raw.close());
    const doc = new SyncedDoc(raw, 'notes', 'text', new Text({ replica: 'alice' }));
    await doc.subscribe();
    expect(await (await fetch(`${http}/healthz`)).json()).toEqual({ status: 'ok', connections: 1, documents: 1 });
  });

  it('answers 404 for other paths without onRequest', async () => {
    const { http } = await start({});
    expect((await fetch(`${http}/`)).status).toBe(404);
    expect((await fetch(`${http}/main.js`)).status).toBe(404);
  });

  it('answers 500 when onRequest throws or rejects, logs it, and keeps serving', async () => {
    const logger = recording();
    const { http } = await start({
      logger,
      onRequest: async (request, response) => {
        if (request.url === '/throws') throw new Error('broken handler');
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (request.url === '/rejects') throw new Error('broken later');
        response.writeHead(200).end('fine');
      },
    });
    const thrown = await fetch(`${http}/throws`);
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).toBe('internal error');
    const rejected = await fetch(`${http}/rejects`);
    expect(rejected.status).toBe(500);
    expect(await rejected.text()).toBe('internal error');
    expect(logger.errors).toHaveLength(2);
    const fine = await fetch(`${http}/fine`);
    expect(await fine.text()).toBe('fine');
  });

  it('a handler that throws synchronously is answered 500 too', async () => {
    const { http } = await start({
      onRequest: () => {
        throw new Error('at once');
      },
    });
    expect((await fetch(`${http}/x`)).status).toBe(500);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });
});
