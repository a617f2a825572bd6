#!/usr/bin/env node
// Runs the CLI from its bundle (dist/, built by `npm ci` and `npm run build`) when it is up
// to date, else straight from the TypeScript sources through tsx.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle, ROOT } from '../scripts/bundle-fresh.mjs';

// zstd runs on libuv's thread pool; with glibc's default of one malloc arena per thread,
// freed compression buffers stay resident and peak memory grows by tens of MiB. glibc reads
// MALLOC_ARENA_MAX only at start-up, so the CLI re-executes itself once with it set.
if (process.env.MALLOC_ARENA_MAX === undefined && process.platform === 'linux') {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
} else {
  let main;
  const bundle = freshBundle('cli');
  if (bundle) {
    ({ main } = await import(pathToFileURL(bundle).href));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import(pathToFileURL(`${ROOT}/cli/main.ts`).href));
  }
  const code = await main(process.argv.slice(2));
  // Prisma and timers may hold the event loop open; the command is done.
  process.exit(code);
}
