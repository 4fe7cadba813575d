import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/server/command.js';

describe('tandem command line', () => {
  it('serve takes --port, --data and --host, as separate values or after =', () => {
    expect(parseCommand(['serve'])).toEqual({ kind: 'serve', port: 8787, host: '127.0.0.1', dataDir: './tandem-data' });
    expect(parseCommand(['serve', '--port', '9000', '--data', '/var/tandem', '--host', '0.0.0.0'])).toEqual({
      kind: 'serve',
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/tandem',
    });
    expect(parseCommand(['serve', '--port=0', '--data=d'])).toMatchObject({ port: 0, dataDir: 'd' });
  });

  it('help, --help and no arguments ask for the usage', () => {
    expect(parseCommand([])).toEqual({ kind: 'help' });
    expect(parseCommand(['help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['serve', '--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong: an unknown command or flag, a missing value, a bad port', () => {
    expect(() => parseCommand(['start'])).toThrow(/unknown command "start"/);
    expect(() => parseCommand(['serve', '--verbose'])).toThrow(/unknown argument "--verbose"/);
    expect(() => parseCommand(['serve', '--port'])).toThrow(/--port needs a value/);
    expect(() => parseCommand(['serve', '--data='])).toThrow(/--data needs a value/);
    expect(() => parseCommand(['serve', '--port', '70000'])).toThrow(/--port is an integer from 0 to 65535/);
    expect(() => parseCommand(['serve', '--port', '80.5'])).toThrow(/--port/);
  });
});
