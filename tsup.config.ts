import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'crdt/index': 'src/crdt/index.ts',
    'ot/index': 'src/ot/index.ts',
    'sync/index': 'src/sync/index.ts',
    'redux/index': 'src/redux/index.ts',
    'server/index': 'src/server/index.ts',
    cli: 'src/server/cli.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
