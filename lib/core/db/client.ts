import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { getEnv } from '../env';
import { PrismaClient } from '../generated/prisma/client';
import { BUSY_TIMEOUT_MS } from './sqlite';

export type Db = PrismaClient;

/** A Prisma client on the given SQLite file (tests use one file each). */
export function createDb(databasePath: string): Db {
  const adapter = new PrismaBetterSqlite3({ url: databasePath, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { cloudosDb?: Db };

/** The process-wide client for the configured database (survives Next dev reloads). */
export function getDb(): Db {
  globalForDb.cloudosDb ??= createDb(getEnv().databasePath);
  return globalForDb.cloudosDb;
}
