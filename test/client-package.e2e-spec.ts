import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const NPM_OPTIONS = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

/** The packages the packed client needs at run time, its dependencies' included, as installed in this checkout. */
function clientRuntimeDependencies(): string[] {
  const found = new Set<string>();
  const visit = (packageJson: string) => {
    for (const name of Object.keys(JSON.parse(readFileSync(packageJson, 'utf8')).dependencies ?? {})) {
      if (!found.has(name)) {
        found.add(name);
        visit(join(ROOT, 'node_modules', name, 'package.json'));
      }
    }
  };
  visit(join(ROOT, 'client', 'package.json'));
  return [...found];
}

/**
 * An integrator's first day: `npm pack` the client, install the tarball into a project of its own, and
 * make a typed call against a throwaway instance started with the packaged startCustomerAdminApi().
 */
describe('The client package (e2e)', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'customer-admin-client-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('packs, installs into another project, type-checks, and calls a throwaway instance', async () => {
    await run('npm', ['pack', '--pack-destination', workDir, ...NPM_OPTIONS], { cwd: join(ROOT, 'client') });
    const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'))!;
    expect(tarball).toMatch(/^customer-admin-client-\d+\.\d+\.\d+\.tgz$/);

    const project = join(workDir, 'integrator');
    await run('mkdir', ['-p', project]);
    // The client's own dependencies come from this checkout (file: links) and npm runs offline with a cache
    // of its own: the test sends nothing to the registry, and cannot pass on a copy npm had cached.
    const fromCheckout = (name: string) => `file:${join(ROOT, 'node_modules', name)}`;
    const dependencies = Object.fromEntries(clientRuntimeDependencies().map((name) => [name, fromCheckout(name)]));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'integrator', version: '1.0.0', private: true, dependencies }));
    await run('npm', ['install', join(workDir, tarball), '--offline', '--cache', join(workDir, 'npm-cache'), ...NPM_OPTIONS], { cwd: project });

    writeFileSync(
      join(project, 'check.ts'),
      `import { createCustomerAdminClient, startCustomerAdminApi } from '@customer-admin/client';

async function main(): Promise<void> {
  const api = await startCustomerAdminApi({ serviceDir: ${JSON.stringify(ROOT)} });
  try {
    const client = createCustomerAdminClient({ baseUrl: api.url, apiKey: api.key });
    const { data, error } = await client.PUT('/admin/customers/{customer_id}', {
      params: { path: { customer_id: '550e8400-e29b-41d4-a716-446655440000' } },
      body: { tier: 'scale' },
    });
    if (error) throw new Error(JSON.stringify(error));
    const commitment: number = data.annual_commitment;
    console.log(JSON.stringify({ tier: data.tier, commitment }));
  } finally {
    await api.stop();
  }
}

void main();
`,
    );
    writeFileSync(
      join(project, 'wrong.ts'),
      `import type { UpdateCustomer } from '@customer-admin/client';\nexport const body: UpdateCustomer = { tier: 'platinum' };\n`,
    );
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const compilerOptions = [
      '--strict',
      '--module',
      'commonjs',
      '--target',
      'ES2022',
      '--moduleResolution',
      'node',
      '--skipLibCheck',
      '--types',
      'node',
      '--typeRoots',
      join(ROOT, 'node_modules', '@types'),
    ];
    // A value outside the schema's enum does not compile: the types come from openapi.json.
    await expect(run(tsc, [...compilerOptions, '--noEmit', 'wrong.ts'], { cwd: project })).rejects.toMatchObject({
      stdout: expect.stringContaining('platinum'),
    });
    await run(tsc, [...compilerOptions, 'check.ts'], { cwd: project });

    const { stdout } = await run(process.execPath, ['check.js'], { cwd: project });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ tier: 'scale', commitment: 500000 });
  }, 180_000);
});
