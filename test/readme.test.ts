import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as tandem from '../src/index.js';
import * as sync from '../src/sync/index.js';

/** The modules an example may import from, by specifier. */
const MODULES: Record<string, object> = { tandem, 'tandem/sync': sync };

/**
 * Runs the README's usage example against the source and checks that what it prints is
 * what its comments say it prints, so the example stays true.
 */
describe('README examples', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs and prints what its comments promise', async (_, code) => {
    const promised = [...code.matchAll(/console\.log\(.*\);? \/\/ (.*)$/gm)].map((m) => m[1]!.trim());
    // Each import binds names of one of the library's entry points to the source's exports.
    const imports = [...code.matchAll(/^import \{([^}]*)\} from '([^']+)';$/gm)].map((m) => ({
      names: m[1]!.split(',').map((n) => n.trim()),
      module: MODULES[m[2]!],
    }));
    expect(imports.every((i) => i.module !== undefined)).toBe(true);
    // The examples are TypeScript only through type arguments and annotations; strip them to run.
    const body = code
      .replace(/^import .*$/gm, '')
      .replace(/new (\w+)<[^>]+>\(/g, 'new $1(')
      .replace(/(const \w+): [\w[\]]+ =/g, '$1 =');
    const printed: string[] = [];
    const log = vi.fn((...args: unknown[]) => printed.push(format(...args)));
    const bindings = imports.map((_, k) => `const { ${imports[k]!.names.join(', ')} } = modules[${k}];`).join('\n');
    // An example with top-level await runs as an async function.
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as FunctionConstructor;
    const run = new AsyncFunction('modules', 'console', `${bindings}\n${body}`);
    await run(imports.map((i) => i.module), { log });
    expect(printed.length).toBe(promised.length);
    expect(printed).toEqual(promised);
  });
});
