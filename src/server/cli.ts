#!/usr/bin/env node
/**
 * The `tandem` program: `npx tandem serve --port 8787 --data ./tandem-data`. Runs a
 * {@link SyncServer} until SIGINT or SIGTERM, then closes it gracefully (every accepted
 * change durable, connections closed); a second signal exits at once.
 */
import { parseCommand, USAGE } from './command.js';
import { SyncServer } from './server.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  let command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    console.error(`tandem: ${message(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  const server = new SyncServer({
    dataDir: command.dataDir,
    logger: {
      info: () => {},
      error: (text, error) => console.error(`tandem: ${text}${error === undefined ? '' : `: ${message(error)}`}`),
    },
  });
  const address = await server.listen({ port: command.port, host: command.host });
  console.log(`tandem sync server listening on ${address.url}`);
  console.log(`  WebSocket ${address.url.replace(/^http/, 'ws')}/sync, health ${address.url}/healthz, data in ${command.dataDir}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`tandem: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`tandem: ${signal}, closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`tandem: closing failed: ${message(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`tandem: ${message(error)}`);
  process.exit(1);
});
