/**
 * `npm run demo`: starts the demo server and prints its URL; Ctrl-C closes it gracefully
 * (a second Ctrl-C exits at once).
 *
 *   npm run demo -- [--port N] [--host H] [--data DIR]
 *
 * Defaults: port `$PORT` or 8787, host 127.0.0.1, data `.demo-data`.
 */
import { parseArgs } from 'node:util';
import { startDemo } from './server.js';

const USAGE = 'usage: npm run demo -- [--port N] [--host HOST] [--data DIR]';

function options(): { port: number; host: string; dataDir: string } {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const portText = values.port ?? process.env.PORT ?? '8787';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new RangeError(`--port takes a port number from 0 to 65535, got ${portText}`);
  return { port, host: values.host ?? '127.0.0.1', dataDir: values.data ?? '.demo-data' };
}

async function main(): Promise<void> {
  let chosen: ReturnType<typeof options>;
  try {
    chosen = options();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const demo = await startDemo(chosen);
  console.log(`Tandem demo: ${demo.url}  (data in ${chosen.dataDir}; Ctrl-C stops)`);
  console.log(`Open it in two windows, or try ${demo.url}?room=team&user=Ada`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('closing…');
    demo.close().then(
      () => {
        console.log('closed: every accepted change is on disk');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('the demo could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
