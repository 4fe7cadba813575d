/**
 * Launches the headless Chromium the end-to-end tests drive: Debian's `chromium` package
 * (or `CHROMIUM_PATH`), started through playwright-core with no sandbox (CI runs as root),
 * no GPU and no background networking, so the only traffic is the demo's own.
 */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

/** Where the tests look for Chromium: `CHROMIUM_PATH` when set, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * Starts a headless Chromium at `executablePath`.
 *
 * @throws Error naming the path and how to install Chromium when no executable is there,
 * so a missing browser fails the run with instructions instead of skipping the tests.
 */
export async function launchChromium(executablePath: string = chromiumPath()): Promise<Browser> {
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium executable at ${executablePath}: the end-to-end tests need one. ` +
        'Install Debian\'s package with `sudo apt-get install -y chromium` ' +
        '(run `sudo apt-get update` first if apt cannot find it), ' +
        'or set CHROMIUM_PATH to another Chromium executable.',
    );
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--no-first-run',
      '--metrics-recording-only',
    ],
  });
}
