import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDataParent } from './support/app-process';
import { parse } from 'yaml';
import { EnvironmentVariables, validateEnvironment } from '../src/config/environment';

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

  it('.env.example lists every variable the service reads, each with the default it applies in development', () => {
    const listed = new Map([...read('.env.example').matchAll(/^# ([A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]));
    expect([...listed.keys()].sort()).toEqual([...knownVariables].sort());
    const defaults = validateEnvironment({ NODE_ENV: 'development' }) as unknown as Record<string, unknown>;
    for (const [name, value] of listed) {
      const set = defaults[name];
      const applied = name === 'ENV_FILE' ? '.env' : set === undefined ? '' : typeof set === 'string' ? set : JSON.stringify(set);
      expect({ name, value }).toEqual({ name, value: applied });
    }
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
  const { isStale } = require('../tools/build-if-stale.js') as { isStale: (root: string) => boolean };

  it('builds when the build is missing or older than a source, not otherwise', () => {
    const project = makeDataParent();
    try {
      const at = (file: string, seconds: number) => {
        mkdirSync(dirname(join(project, file)), { recursive: true });
        writeFileSync(join(project, file), '');
        utimesSync(join(project, file), seconds, seconds);
        utimesSync(join(project, 'src'), seconds, seconds);
      };
      at('src/main.ts', 1000);
      at('tsconfig.json', 1000);
      expect(isStale(project)).toBe(true);
      at('dist/main.js', 2000);
      at('dist/.built', 2000);
      expect(isStale(project)).toBe(false);
      at('src/customers/customer.entity.ts', 3000);
      expect(isStale(project)).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect([scripts.prestart, scripts.pretest]).toEqual(['node tools/build-if-stale.js', 'node tools/build-if-stale.js']);
  });
});
