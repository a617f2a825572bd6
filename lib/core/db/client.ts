import { setFlagsFromString } from 'node:v8';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { getEnv } from '../env';
import { PrismaClient } from '../generated/prisma/client';
import { BUSY_TIMEOUT_MS } from './sqlite';

export type Db = PrismaClient;

/**
 * Prisma 7 plans every query in a WebAssembly module, whose busy functions V8 compiles again
 * with its optimising compiler on background threads. In a backup's process that took ~1 s of
 * CPU from the compression threads on a two-core server and ~45 MiB of memory, for queries
 * that ran no faster (docs/ARCHITECTURE.md, "Database and migrations"). A tiering budget
 * this high keeps the module on V8's baseline code; a function the baseline compiler cannot
 * handle still gets the optimising one. Set before the first client compiles the module; it
 * applies to every WebAssembly module of the process, and Prisma's is the only one here.
 */
export const WASM_TIERING_FLAG = '--wasm-tiering-budget=2000000000';
let wasmTieringSet = false;

/** A Prisma client on the given SQLite file (tests use one file each). */
export function createDb(databasePath: string): Db {
  if (!wasmTieringSet) {
    setFlagsFromString(WASM_TIERING_FLAG);
    wasmTieringSet = true;
  }
  const adapter = new PrismaBetterSqlite3({ url: databasePath, timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { cloudosDb?: Db };

/** The process-wide client for the configured database (survives Next dev reloads). */
export function getDb(): Db {
  globalForDb.cloudosDb ??= createDb(getEnv().databasePath);
  return globalForDb.cloudosDb;
}
