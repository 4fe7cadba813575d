/**
 * What every benchmark report states about where it ran: the machine, and the installed
 * version of each library.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const ROOT = new URL('../', import.meta.url);

/**
 * The installed version of a package, read from node_modules/<name>/package.json; for
 * `tandem`, the repository's own package.json. `unknown` when the file has no version.
 * @throws {Error} when the package is not installed.
 */
export function packageVersion(name: string): string {
  const path =
    name === 'tandem'
      ? new URL('package.json', ROOT)
      : new URL(`node_modules/${name}/package.json`, ROOT);
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof json === 'object' && json !== null && 'version' in json) {
    return String(json.version);
  }
  return 'unknown';
}

/** The machine, one line: OS, CPU model and cores, memory, Node. */
export function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memory = (os.totalmem() / 2 ** 30).toFixed(1);
  return (
    `${os.type()} ${os.release()} ${os.arch()}, ${model} × ${cpus.length} cores, ` +
    `${memory} GiB memory, Node ${process.version}`
  );
}
