/**
 * What a database error means for the client, read from the error and its causes: the database is
 * unreachable (503 "unavailable"), this process's connections are all in use (503 "busy"), or a
 * lock was not granted in time (429 "busy"). Anything else is a bug (500).
 */
type ErrorLike = { code?: unknown; message?: unknown; name?: unknown; driverError?: unknown; cause?: unknown } | undefined;

/** Socket-level failures, and SQLSTATEs of a server that will not serve this connection now. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '3D000']);
/**
 * SQLSTATE classes: 08 connection exception, 28 invalid authorization (credentials changed under a
 * running app), 53 insufficient resources (too many connections, out of memory or disk), 57P
 * operator intervention (shutting down, starting up, database dropped).
 */
const UNAVAILABLE_CLASSES = ['08', '28', '53', '57P'];
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed|Connection ended unexpectedly|is not currently accepting connections/i;
/** A connection that died under a transaction leaves TypeORM's query runner released: the same outage seen one step later. */
const RELEASED_RUNNER = 'QueryRunnerAlreadyReleasedError';
/** pg-pool's message when no pooled connection frees up within connectionTimeoutMillis. */
const POOL_EXHAUSTED_MESSAGE = /timeout exceeded when trying to connect/i;
const LOCK_NOT_AVAILABLE = '55P03';

function* chain(error: unknown): Generator<NonNullable<ErrorLike>> {
  for (let current = error as ErrorLike, depth = 0; current && depth < 4; depth++) {
    yield current;
    current = (current.driverError ?? current.cause) as ErrorLike;
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (const current of chain(error)) {
    const code = typeof current.code === 'string' ? current.code : '';
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.some((prefix) => code.startsWith(prefix))) return true;
    if (current.name === RELEASED_RUNNER) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}

export function isPoolExhausted(error: unknown): boolean {
  for (const current of chain(error)) if (typeof current.message === 'string' && POOL_EXHAUSTED_MESSAGE.test(current.message)) return true;
  return false;
}

export function isLockTimeout(error: unknown): boolean {
  for (const current of chain(error)) if (current.code === LOCK_NOT_AVAILABLE) return true;
  return false;
}

/** A connection that worked and then died (terminated backend, reset socket): a new one will likely work. */
const LOST_CODES = new Set(['57P01', '57P02', 'ECONNRESET', 'EPIPE']);
const LOST_MESSAGES = /Connection terminated unexpectedly|Client has encountered a connection error/i;

export function isConnectionLost(error: unknown): boolean {
  for (const current of chain(error)) {
    if ((typeof current.code === 'string' && LOST_CODES.has(current.code)) || current.name === RELEASED_RUNNER) return true;
    if (typeof current.message === 'string' && LOST_MESSAGES.test(current.message)) return true;
  }
  return false;
}

/**
 * Runs a read again, once, when its connection died under it (the pool heals within milliseconds).
 * Only for reads: a write whose connection died may or may not have committed.
 */
export async function readWithOneRetry<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    return read();
  }
}

type PoolClientLike = { on(event: 'error', listener: (error: Error) => void): unknown };
type PoolLike = { on(event: 'acquire', listener: (client: PoolClientLike) => void): unknown };

/**
 * pg emits 'error' on a client whose connection dies while no query is running on it; pg-pool
 * listens on idle clients but not on checked-out ones (inside a transaction, between its
 * statements), where an unheard 'error' would crash the process. Each client gets a listener the
 * first time it is checked out (pg-pool's public 'acquire' event); the failure then reaches the
 * client's next query, answered 503.
 */
export function keepConnectionErrorsFromCrashing(pool: PoolLike): void {
  const guarded = new WeakSet<PoolClientLike>();
  pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', () => undefined);
  });
}
