/**
 * Builds the demo page: bundles `src/main.ts` (and the library it imports, from its
 * TypeScript sources) with esbuild in memory, and reads the static files beside it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file the page is made of. */
export interface PageFile {
  readonly contentType: string;
  readonly body: Uint8Array;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The page's files by URL path: `/` (the HTML), `/main.js`, `/style.css`, `/sw.js`.
 * @throws {Error} when the bundle does not build or a file is missing.
 */
export async function buildPage(): Promise<ReadonlyMap<string, PageFile>> {
  const bundled = await build({
    entryPoints: [here('./src/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0];
  if (script === undefined) throw new Error('esbuild produced no bundle for demo/src/main.ts');
  const [html, css, worker] = await Promise.all(['./public/index.html', './public/style.css', './public/sw.js'].map((path) => readFile(here(path))));
  return new Map<string, PageFile>([
    ['/', { contentType: 'text/html; charset=utf-8', body: html! }],
    ['/main.js', { contentType: 'text/javascript; charset=utf-8', body: script.contents }],
    ['/style.css', { contentType: 'text/css; charset=utf-8', body: css! }],
    ['/sw.js', { contentType: 'text/javascript; charset=utf-8', body: worker! }],
  ]);
}
