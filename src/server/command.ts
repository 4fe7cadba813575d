/**
 * The command line's grammar, apart from the program so it can be tested:
 *
 *   tandem serve [--port 8787] [--data ./tandem-data] [--host 127.0.0.1]
 *   tandem help
 *
 * Flags take their value as the next argument or after `=` (`--port=8787`).
 */

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'serve'; readonly port: number; readonly host: string; readonly dataDir: string }
  | { readonly kind: 'help' };

/** The text `tandem help` prints. */
export const USAGE = `Usage: tandem serve [--port 8787] [--data ./tandem-data] [--host 127.0.0.1]

  --port  TCP port to listen on (0: any free port); default 8787
  --data  directory of the document store; default ./tandem-data
  --host  interface to listen on; default 127.0.0.1 (0.0.0.0: every interface)

Endpoints: WebSocket /sync, SSE /sync/sse + POST /sync/post, GET /healthz.`;

/**
 * Parses the arguments after the program name.
 * @throws {Error} naming the argument when one is unknown, missing its value, or invalid.
 */
export function parseCommand(args: readonly string[]): Command {
  const [verb, ...rest] = args;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') return { kind: 'help' };
  if (verb !== 'serve') throw new Error(`unknown command ${JSON.stringify(verb)}; try: tandem serve --port 8787 --data ./tandem-data`);
  let port = 8787;
  let host = '127.0.0.1';
  let dataDir = './tandem-data';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (flag !== '--port' && flag !== '--host' && flag !== '--data') throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    if (flag === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`--port is an integer from 0 to 65535, got ${JSON.stringify(value)}`);
      port = Number(value);
    } else if (flag === '--host') host = value;
    else dataDir = value;
  }
  return { kind: 'serve', port, host, dataDir };
}
