import { AdminKey, findAdminKeyByHash, generateAdminSecret, hashSecret, parseAdminKeys, parseKeyLifetime } from './admin-keys';

const findAdminKey = (keys: AdminKey[], presented: string) => findAdminKeyByHash(keys, hashSecret(presented));

describe('admin keys', () => {
  it('parses bare keys as write keys named by a fingerprint, never by the secret', () => {
    const [key] = parseAdminKeys(' s3cret-one ');
    expect(key.scope).toBe('write');
    expect(key.name).toMatch(/^key-[0-9a-f]{8}$/);
    expect(key.name).not.toContain('s3cret');
  });

  it('parses name:scope:secret entries, and secrets that contain colons', () => {
    const keys = parseAdminKeys('ops:write:abc, dashboard:read:x:y:z');
    expect(keys.map(({ name, scope }) => ({ name, scope }))).toEqual([
      { name: 'ops', scope: 'write' },
      { name: 'dashboard', scope: 'read' },
    ]);
    expect(findAdminKey(keys, 'x:y:z')?.name).toBe('dashboard');
  });

  it('ignores empty entries', () => {
    expect(parseAdminKeys(' , ,')).toEqual([]);
    expect(parseAdminKeys(undefined)).toEqual([]);
  });

  it('finds only an exact secret', () => {
    const keys = parseAdminKeys('alpha,beta');
    expect(findAdminKey(keys, 'beta')).toBe(keys[1]);
    expect(findAdminKey(keys, 'bet')).toBeUndefined();
    expect(findAdminKey(keys, 'beta ')).toBeUndefined();
    expect(findAdminKey(keys, '')).toBeUndefined();
    expect(findAdminKey([], 'alpha')).toBeUndefined();
  });

  it('generates distinct, URL-safe secrets', () => {
    const a = generateAdminSecret();
    expect(a).toMatch(/^cak_[A-Za-z0-9_-]{32}$/);
    expect(generateAdminSecret()).not.toBe(a);
  });
});

describe('parseKeyLifetime', () => {
  it.each([
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['12h', 43_200_000],
    ['90d', 7_776_000_000],
    ['2w', 1_209_600_000],
  ])('reads %s', (text, ms) => expect(parseKeyLifetime(text)).toBe(ms));

  it.each(['', '0d', '90', 'd', '90 days', '1.5d', '-1d', '01d', '9999999d', '90D'])('refuses %j', (text) => expect(parseKeyLifetime(text)).toBeUndefined());
});
