/**
 * Found in review of `SyncServer`'s `onRequest`: its documentation says it handles
 * "anything but /healthz and /sync…", but a path under /sync/ that the server has no
 * endpoint for (a typo of /sync/sse, or one a later protocol adds) went to the app's
 * handler, which could answer it with its page. Such paths are the server's: 404.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SyncServer } from '../../src/server/index.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('paths under /sync/ never reach onRequest; others do', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-sync-paths-'));
  const seen: string[] = [];
  const server = new SyncServer({
    dataDir,
    onRequest: (request, response) => {
      seen.push(request.url ?? '');
      response.writeHead(200).end('the page');
    },
  });
  const { url } = await server.listen({ port: 0 });
  cleanup.push(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  for (const path of ['/sync/', '/sync/ss', '/sync/sse/extra', '/sync/v2/post']) {
    const response = await fetch(`${url}${path}`);
    expect(response.status, path).toBe(404);
  }
  expect((await fetch(`${url}/sync/sse`)).status).toBe(400);
  expect(seen).toEqual([]);
  expect((await fetch(`${url}/synced-page`)).status).toBe(200);
  expect((await fetch(`${url}/app/sync/x`)).status).toBe(200);
  expect(seen).toEqual(['/synced-page', '/app/sync/x']);
});
