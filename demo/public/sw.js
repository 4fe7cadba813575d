// The demo's service worker: keeps a copy of the page shell (html, script, styles) so the
// page reloads while the browser is offline. Network first: a fresh server (a rebuilt
// bundle) is always used when reachable, and the copy is refreshed from it; the cache
// answers only when the network fails. The sync endpoints are never touched.
const CACHE = 'tandem-demo-shell';
const SHELL = ['/', '/main.js', '/style.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Every page of the demo is the one shell, whatever its ?room= and ?user=; a navigation
  // to another path (/healthz, /main.js in the address bar) is not the page and is not kept.
  const key = url.pathname === '/index.html' ? '/' : url.pathname;
  if (!SHELL.includes(key)) return;
  event.respondWith(
    fetch(request).then(
      (response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      },
      () => caches.match(key).then((cached) => cached ?? Response.error()),
    ),
  );
});
