/**
 * The demo's service worker (demo/public/sw.js, plain JavaScript served as is), run in a
 * VM context with stand-ins for the worker's globals: which responses it keeps, and what
 * it answers when the network fails.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

type Listener = (event: FetchLike) => void;

interface FetchLike {
  readonly request: { readonly url: string; readonly method: string; readonly mode: string };
  respondWith(response: Promise<Response>): void;
  waitUntil(done: Promise<unknown>): void;
}

const source = readFileSync(new URL('../../demo/public/sw.js', import.meta.url), 'utf8');

/** The worker loaded against a network that answers `serve` (or fails when it returns undefined). */
function worker(serve: (path: string) => Response | undefined) {
  const listeners = new Map<string, Listener>();
  const cache = new Map<string, Response>();
  const origin = 'http://demo.test';
  const caches = {
    open: async () => ({
      addAll: async (paths: string[]) => {
        for (const path of paths) {
          const response = serve(path);
          if (response === undefined) throw new TypeError('offline');
          cache.set(path, response);
        }
      },
      put: async (key: string, response: Response) => void cache.set(key, response),
    }),
    match: async (key: string) => cache.get(key)?.clone(),
  };
  const fetch = async (request: { url: string }) => {
    const response = serve(new URL(request.url).pathname);
    if (response === undefined) throw new TypeError('offline');
    return response;
  };
  const self = { addEventListener: (type: string, listener: Listener) => listeners.set(type, listener), location: { origin } };
  runInNewContext(source, { self, caches, fetch, URL, Response });

  /** Fetches `path` through the worker; undefined when it lets the browser fetch. */
  const get = async (path: string, mode = 'no-cors'): Promise<Response | undefined> => {
    let answer: Promise<Response> | undefined;
    const pending: Promise<unknown>[] = [];
    listeners.get('fetch')!({
      request: { url: `${origin}${path}`, method: 'GET', mode },
      respondWith: (response) => void (answer = response),
      waitUntil: (done) => void pending.push(done),
    });
    const response = await answer;
    await Promise.all(pending);
    return response;
  };
  return { get, cache };
}

const page = (body: string) => new Response(body, { status: 200 });

describe('demo service worker', () => {
  it('keeps the shell from the network and answers from it when the network fails', async () => {
    let online = true;
    const sw = worker((path) => (!online ? undefined : path === '/' ? page('<html>v2</html>') : path === '/main.js' ? page('main v2') : undefined));
    expect(await (await sw.get('/?room=lobby', 'navigate'))!.text()).toBe('<html>v2</html>');
    expect(await (await sw.get('/main.js'))!.text()).toBe('main v2');
    online = false;
    expect(await (await sw.get('/?room=other&user=bob', 'navigate'))!.text()).toBe('<html>v2</html>');
    expect(await (await sw.get('/main.js'))!.text()).toBe('main v2');
    expect(await sw.get('/sync/sse?client=x')).toBeUndefined();
  });

  it('a navigation to another path is not kept as the page', async () => {
    let online = true;
    const sw = worker((path) => (!online ? undefined : path === '/' ? page('<html>the page</html>') : path === '/healthz' ? page('{"status":"ok"}') : undefined));
    await sw.get('/', 'navigate');
    // Someone opens /healthz in the address bar: not the page, not kept as it.
    expect(await sw.get('/healthz', 'navigate')).toBeUndefined();
    online = false;
    expect(await (await sw.get('/?room=lobby', 'navigate'))!.text()).toBe('<html>the page</html>');
  });
});
