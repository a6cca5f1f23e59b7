import { databaseFailure, startupFailure } from './startup-failure';

const failure = (code: string, message = `${code} message`) => Object.assign(new Error(message), { code });

describe('startupFailure', () => {
  it('blames the database for connection errors before the server listens', () => {
    expect(startupFailure(failure('ECONNREFUSED'), false, { PORT: 3000 })).toBe(
      'cannot reach the database (ECONNREFUSED message): is PostgreSQL running where DATABASE_URL points?',
    );
    expect(startupFailure(new Error('Migration failed'), false, { PORT: 3000 })).toBe('Migration failed');
  });

  it("is the CLIs' message too: a connection failure names DATABASE_URL, anything else is its own message", () => {
    expect(databaseFailure(failure('ENOTFOUND'))).toMatch(
      /^cannot reach the database \(ENOTFOUND message\): is PostgreSQL running where DATABASE_URL points\?$/,
    );
    expect(databaseFailure(failure('23505', 'duplicate key'))).toBe('duplicate key');
  });

  it('blames HOST or PORT for the same codes once it listens', () => {
    const environment = { HOST: '192.0.2.1', PORT: 3000 };
    expect(startupFailure(failure('ENOTFOUND'), true, environment)).toMatch(
      /^cannot listen on 192\.0\.2\.1 port 3000 \(ENOTFOUND message\): HOST must be an address of this machine/,
    );
    expect(startupFailure(failure('EADDRNOTAVAIL'), true, environment)).toMatch(/^cannot listen on 192\.0\.2\.1 port 3000 .*HOST must be/);
    expect(startupFailure(failure('EADDRINUSE'), true, environment)).toBe('PORT 3000 is already in use: stop what listens there or set PORT to a free port');
    expect(startupFailure(failure('EACCES'), true, { PORT: 80 })).toMatch(/^not allowed to listen on port 80 .*set PORT to 1024 or above$/);
    expect(startupFailure(failure('EOTHER', 'odd'), true, { PORT: 3000 })).toBe('cannot listen on port 3000: odd');
  });
});
