// Packaging test: packs the built library as npm would publish it, installs the tarball
// into an empty project, and imports it once from ESM and once from CommonJS, as a user
// would. Run by `npm run test:package` (after `npm run build`) and by .ci/run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
  throw new Error(`the core must have no runtime dependencies, found: ${Object.keys(pkg.dependencies).join(', ')}`);
}

const work = mkdtempSync(join(tmpdir(), 'tandem-package-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', work], root).trim().split('\n').pop();
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, tarball)], work);

  const program = (load) => `
    ${load}
    const a = new crdt.AWSet({ replica: 'a' });
    a.add('x');
    const b = new root.AWSet({ replica: 'b' });
    b.apply(a.encode());
    if (!b.has('x')) throw new Error('merge failed');
    if (root.toJSON(a.encode()).type !== 'aw-set') throw new Error('toJSON failed');
    try { b.apply(new Uint8Array([1, 2, 3])); throw new Error('no error'); }
    catch (e) { if (!(e instanceof root.DecodeError) || e.code !== 'truncated') throw e; }
    const [add, quote] = [[{ retain: 5 }, { insert: '!' }], [{ insert: '> ' }]];
    if (ot.text.apply(ot.text.apply('hello', quote), ot.text.transform(add, quote, 'left')) !== '> hello!') throw new Error('ot failed');
    if (root.ot.richTextType.name !== ot.richTextType.name) throw new Error('root ot namespace differs');
    if (ot.opToJSON(ot.encodeTextOp([{ insert: 'x' }])).type !== 'text-op') throw new Error('ot codec failed');
    try { ot.text.apply('abc', [{ retain: 4 }]); throw new Error('no error'); }
    catch (e) { if (!(e instanceof ot.OTError) || e.rule !== 'length-mismatch') throw e; }
    const ping = sync.messageToJSON(sync.encodeMessage({ kind: 'ping', nonce: 7 }));
    if (ping.type !== 'sync-ping' || ping.payload.nonce !== 7) throw new Error('sync protocol failed: ' + JSON.stringify(ping));
    if (new sync.EventStreamParser().push('data: x\\n\\n')[0].data !== 'x') throw new Error('sync event stream failed');
    const offline = new sync.SyncClient({ transports: [{ name: 'none', connect: (_r, events) => { Promise.resolve().then(() => events.close()); return { send() {}, close() {} }; } }], storage: new sync.MemoryStorage() });
    offline.close().then(() => { if (offline.status !== 'offline') throw new Error('sync client failed to close'); });
    // tandem/redux needs no redux at run time: a minimal store creator stands in for createStore.
    const createStore = (reducer, preloaded) => {
      let state = reducer(preloaded, { type: '@@INIT' });
      const listeners = new Set();
      return { getState: () => state, dispatch(a) { state = reducer(state, a); for (const l of listeners) l(); return a; }, subscribe(l) { listeners.add(l); return () => listeners.delete(l); }, replaceReducer() {} };
    };
    const todos = new root.LWWMap({ replica: 'r' });
    const store = redux.bindSlices({ todos })(createStore)((s = { todos: {} }, a) => (a.type === 'add' ? { todos: { ...s.todos, [a.id]: { text: a.text } } } : s));
    store.dispatch({ type: 'add', id: 't1', text: 'milk' });
    if (todos.get('t1')?.text !== 'milk') throw new Error('redux binding failed to write');
    try { store.dispatch({ type: 'add', id: 't2', text: undefined }); throw new Error('no error'); }
    catch (e) { if (!(e instanceof redux.ReduxBindingError) || e.code !== 'not-json') throw e; }
    if (store.getState().todos.t2 !== undefined || todos.size !== 1) throw new Error('redux binding took a bad state');
    console.log('ok', Object.keys(root).length, 'exports');
  `;
  writeFileSync(join(work, 'esm.mjs'), program("import * as root from 'tandem'; import * as crdt from 'tandem/crdt'; import * as ot from 'tandem/ot'; import * as sync from 'tandem/sync'; import * as redux from 'tandem/redux';"));
  writeFileSync(join(work, 'cjs.cjs'), program("const root = require('tandem'); const crdt = require('tandem/crdt'); const ot = require('tandem/ot'); const sync = require('tandem/sync'); const redux = require('tandem/redux');"));
  const esm = run('node', ['esm.mjs'], work).trim();
  const cjs = run('node', ['cjs.cjs'], work).trim();
  if (!esm.startsWith('ok') || !cjs.startsWith('ok')) throw new Error(`unexpected output: ${esm} / ${cjs}`);
  console.log(`package: ESM ${esm}; CJS ${cjs}`);

  // tandem/server: importing it needs none of its optional packages; listening without
  // them fails naming what to install. With ws and classic-level installed (from the npm
  // cache that \`npm ci\` filled), it serves /healthz, and the tandem command runs.
  const server = (load, withPackages) => `
    ${load}
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-package-server-'));
    const s = new SyncServer({ dataDir });
    (async () => {
      try {
        const { url } = await s.listen({ port: 0 });
        if (!${withPackages}) throw new Error('listened without ws installed');
        const health = await (await fetch(url + '/healthz')).json();
        if (health.status !== 'ok') throw new Error('healthz: ' + JSON.stringify(health));
        await s.close();
        console.log('ok server');
      } catch (e) {
        if (${withPackages} || !/npm install ws/.test(e.message)) throw e;
        console.log('ok server refuses clearly without its optional packages');
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    })().catch((e) => { console.error(e); process.exitCode = 1; });
  `;
  const serverChecks = [];
  for (const withPackages of [false, true]) {
    if (withPackages) run('npm', ['install', '--no-audit', '--no-fund', '--offline', 'ws@^8.18.0', 'classic-level@^3.0.0'], work);
    writeFileSync(join(work, 'server.mjs'), server("import { SyncServer } from 'tandem/server'; import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';", withPackages));
    writeFileSync(join(work, 'server.cjs'), server("const { SyncServer } = require('tandem/server'); const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');", withPackages));
    for (const file of ['server.mjs', 'server.cjs']) {
      const out = run('node', [file], work).trim();
      if (!out.startsWith('ok server')) throw new Error(`${file}: unexpected output: ${out}`);
      serverChecks.push(`${file}: ${out}`);
    }
  }
  const usage = run(join(work, 'node_modules', '.bin', 'tandem'), ['help'], work);
  if (!usage.includes('tandem serve')) throw new Error(`tandem help: unexpected output: ${usage}`);
  console.log(`package: ${serverChecks.join('; ')}; tandem help prints the usage`);
  console.log('7 passed, 0 failed');
} finally {
  rmSync(work, { recursive: true, force: true });
}
