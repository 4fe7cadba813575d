import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import * as redux from 'redux';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import * as tandem from '../src/index.js';
import * as tandemRedux from '../src/redux/index.js';
import * as sync from '../src/sync/index.js';

/** The modules an example may import from, by specifier. */
const MODULES: Record<string, object> = { tandem, 'tandem/sync': sync, 'tandem/redux': tandemRedux, redux };

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
    // Each import binds names of one of the library's entry points (or redux) to the
    // source's exports; type-only names bind nothing.
    const imports = [...code.matchAll(/^import \{([^}]*)\} from '([^']+)';$/gm)].map((m) => ({
      names: m[1]!
        .split(',')
        .map((n) => n.trim())
        .filter((n) => !n.startsWith('type ')),
      module: MODULES[m[2]!],
    }));
    expect(imports.every((i) => i.module !== undefined)).toBe(true);
    // TypeScript's own transpiler strips the types (it keeps top-level await as it is).
    const body = ts.transpileModule(code.replace(/^import .*$/gm, ''), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
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
