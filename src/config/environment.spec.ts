import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the defaults', () => {
    expect(validateEnvironment({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      EMBEDDED_DB_DIR: './.data/postgres',
      LOG_LEVEL: 'info',
      THROTTLE_LIMIT: 600,
      THROTTLE_TTL_SECONDS: 60,
      METRICS_ENABLED: true,
      DB_POOL_SIZE: 20,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid environment: PORT="abc": must be an integer port number from 0 to 65535$/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres:\/\/ connection URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud": must be one of: fatal, error/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: must be a redis:\/\//],
    [{ THROTTLE_LIMIT: '0' }, /THROTTLE_LIMIT="0"/],
    [{ THROTTLE_TTL_SECONDS: 'soon' }, /THROTTLE_TTL_SECONDS="soon"/],
    [{ CORS_ORIGINS: 'example.com' }, /CORS_ORIGINS="example.com"/],
    [{ METRICS_ENABLED: 'maybe' }, /METRICS_ENABLED="maybe": must be true or false/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV="staging"/],
    [{ NODE_ENV: 'production' }, /ADMIN_API_KEYS is required when NODE_ENV=production/],
    [{ NODE_ENV: 'production', ADMIN_API_KEYS: 'ops:write:a' }, /key "ops" has a 1-character secret; production needs at least 32/],
    [{ NODE_ENV: 'production', ADMIN_API_KEYS: 'change-me' }, /has a 9-character secret; production needs at least 32.*openssl rand/],
    [{ ADMIN_API_KEYS: 'rw:write:first-secret,rw:read:second-secret' }, /two keys are named "rw"/],
    [{ AUTH_FAILURE_LIMIT: '0' }, /AUTH_FAILURE_LIMIT="0"/],
    [{ CUSTOMER_WRITE_QUEUE_LIMIT: 'lots' }, /CUSTOMER_WRITE_QUEUE_LIMIT="lots"/],
    [{ DB_LOCK_TIMEOUT_MS: '10' }, /DB_LOCK_TIMEOUT_MS="10"/],
    [{ TRUST_PROXY: 'yes' }, /^Invalid environment: TRUST_PROXY="yes": must be false, true, a hop count.*"yes" is not an IP address/],
    [{ TRUST_PROXY: '10.0.0.0/40' }, /TRUST_PROXY="10.0.0.0\/40"/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => validateEnvironment(env)).toThrow(message);
  });

  const ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');

  it('accepts production keys of 32 characters or more, with a webhook secrets key', () => {
    const production = { NODE_ENV: 'production', ADMIN_API_KEYS: `ops:write:${'k'.repeat(32)}, ${'b'.repeat(40)}` };
    expect(() => validateEnvironment(production)).toThrow(/WEBHOOK_SECRETS_ENCRYPTION_KEYS is required when NODE_ENV=production/);
    expect(validateEnvironment({ ...production, WEBHOOK_SECRETS_ENCRYPTION_KEYS: ENCRYPTION_KEY }).NODE_ENV).toBe('production');
  });

  it('never echoes an encryption key', () => {
    let message = '';
    try {
      validateEnvironment({ WEBHOOK_SECRETS_ENCRYPTION_KEYS: `${ENCRYPTION_KEY},c2VjcmV0LWtleQ==` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/WEBHOOK_SECRETS_ENCRYPTION_KEYS: must be .*key 2 is not 32 bytes/);
    expect(message).not.toContain(ENCRYPTION_KEY);
    expect(message).not.toContain('c2VjcmV0LWtleQ');
  });

  it('never echoes secret values', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', ADMIN_API_KEYS: 'ops:write:hunter2' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
    expect(() => validateEnvironment({ DATABASE_URL: 'mysql://user:hunter2@db' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('accepts valid settings', () => {
    expect(
      validateEnvironment({
        PORT: '8080',
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        REDIS_URL: 'redis://127.0.0.1:6379',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        METRICS_ENABLED: 'false',
      }),
    ).toMatchObject({ PORT: 8080, METRICS_ENABLED: false });
  });

  it("reads TRUST_PROXY as Express's trust proxy setting, false by default", () => {
    expect(validateEnvironment({}).TRUST_PROXY).toBe(false);
    expect(validateEnvironment({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(validateEnvironment({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback,10.0.0.0/8');
  });
});
