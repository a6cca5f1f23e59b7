import { removeTemporaryParent } from '../src/database/embedded-postgres';
import { dropTestDatabase } from './support/test-database';

export default async function globalTeardown(): Promise<void> {
  if (process.env.DATABASE_URL) await dropTestDatabase(process.env.DATABASE_URL);
  const embedded = globalThis.__EMBEDDED_POSTGRES__;
  if (embedded) {
    await embedded.stop();
    await removeTemporaryParent(embedded);
  }
}
