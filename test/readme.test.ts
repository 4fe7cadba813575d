import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as tandem from '../src/index.js';

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

  it.each(blocks.map((code, i) => [i + 1, code] as const))('example %i runs and prints what its comments promise', (_, code) => {
    const promised = [...code.matchAll(/console\.log\(.*\);? \/\/ (.*)$/gm)].map((m) => m[1]!.trim());
    // Each example imports from 'tandem'; bind those names to the source's exports.
    const names = [...code.matchAll(/^import \{([^}]*)\} from 'tandem';$/gm)].flatMap((m) => m[1]!.split(',').map((n) => n.trim()));
    // The examples are TypeScript only through type arguments and annotations; strip them to run.
    const body = code
      .replace(/^import .*$/gm, '')
      .replace(/new (\w+)<[^>]+>\(/g, 'new $1(')
      .replace(/(const \w+): [\w[\]]+ =/g, '$1 =');
    const printed: string[] = [];
    const log = vi.fn((...args: unknown[]) => printed.push(format(...args)));
    new Function('tandem', 'console', `const { ${names.join(', ')} } = tandem;\n${body}`)(tandem, { log });
    expect(printed.length).toBe(promised.length);
    expect(printed).toEqual(promised);
  });
});
