import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EnvironmentVariables } from '../src/config/environment';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** There is no Docker engine here: these keep docker-compose.yml and the Dockerfile honest by review. */
describe('Deployment files', () => {
  const compose = parse(read('docker-compose.yml'));
  const readme = read('README.md');
  const dockerfile = read('Dockerfile');
  const knownVariables = Object.keys(new EnvironmentVariables());

  it('runs PostgreSQL, the app and optional Redis, with health checks', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis']);
    expect(compose.services.app.depends_on.postgres.condition).toBe('service_healthy');
    for (const service of ['app', 'postgres', 'redis']) expect(compose.services[service].healthcheck.test).toBeDefined();
    expect(compose.services.redis.profiles).toEqual(['redis']);
  });

  it('gives the app only variables the service reads, documented in the README, with a port that matches PORT', () => {
    const environment = compose.services.app.environment as Record<string, string>;
    for (const name of Object.keys(environment)) {
      expect(knownVariables).toContain(name);
      expect(readme).toContain(`\`${name}\``);
    }
    expect(environment.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(compose.services.app.ports).toEqual([`${environment.PORT}:${environment.PORT}`]);
    expect(readme).toContain(`http://localhost:${environment.PORT}/health`);
    expect(readme).toContain('docker compose up');
  });

  it('documents every environment variable in the README', () => {
    for (const name of knownVariables) expect(readme).toContain(`\`${name}\``);
  });

  it('builds in stages and runs node dist/main.js as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(dockerfile).toMatch(/npm ci/);
  });
});

describe('npm start and npm test build only what changed', () => {
  const ROOT = join(__dirname, '..');

  it('skips the build when nothing under src/ is newer than the last one', () => {
    const buildIfStale = () => execFileSync(process.execPath, [join(ROOT, 'tools', 'build-if-stale.js')], { cwd: ROOT, encoding: 'utf8' });
    buildIfStale(); // builds only if something changed since npm test's own build
    const started = Date.now();
    expect(buildIfStale()).toBe('');
    expect(Date.now() - started).toBeLessThan(5_000);
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prestart).toBe('node tools/build-if-stale.js');
  }, 60_000);
});
