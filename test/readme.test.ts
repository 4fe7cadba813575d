import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import * as tandem from '../src/index.js';

/**
 * Runs the README's usage example against the source and checks that what it prints is
 * what its comments say it prints, so the example stays true.
 */
describe('README example', () => {
  it('runs and prints what its comments promise', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const promised = [...code.matchAll(/console\.log\(.*\);? \/\/ (.*)$/gm)].map((m) => m[1]!.trim());
    // The example is TypeScript only through its type arguments; strip them to run it.
    const body = code.replace(/^import .*$/m, '').replace(/new (\w+)<[^>]+>\(/g, 'new $1(');
    const printed: string[] = [];
    const log = vi.fn((...args: unknown[]) => printed.push(format(...args)));
    new Function('tandem', 'console', `const { AWSet, LWWMap, PNCounter, toJSON } = tandem;\n${body}`)(tandem, { log });
    expect(printed.length).toBe(promised.length);
    expect(printed).toEqual(promised);
  });
});
