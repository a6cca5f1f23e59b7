import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv } from './dot-env';

describe('loadDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dot-env-'));
  const file = join(dir, 'app.env');
  writeFileSync(file, '# a comment\nPORT=4011\nLOG_LEVEL="debug"\nADMIN_API_KEYS=ops:write:from-file\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds what the file sets, and the environment wins over it', () => {
    const environment: NodeJS.ProcessEnv = { ENV_FILE: file, LOG_LEVEL: 'warn' };
    expect(loadDotEnv(environment)).toBe(file);
    expect(environment).toMatchObject({ PORT: '4011', LOG_LEVEL: 'warn', ADMIN_API_KEYS: 'ops:write:from-file' });
  });

  it('reads nothing with ENV_FILE=none, and refuses an ENV_FILE that does not exist', () => {
    const environment: NodeJS.ProcessEnv = { ENV_FILE: 'none' };
    expect(loadDotEnv(environment)).toBeUndefined();
    expect(environment).toEqual({ ENV_FILE: 'none' });
    expect(() => loadDotEnv({ ENV_FILE: join(dir, 'missing.env') })).toThrow(/no such file/);
  });
});
