#!/usr/bin/env node
// Runs the CLI from its bundle (dist/, built by `npm ci` and `npm run build`) when it is up
// to date, else straight from the TypeScript sources through tsx.
import { fileURLToPath, pathToFileURL } from 'node:url';

// Bounded memory while streaming archives needs two start-up settings, so the CLI
// re-executes itself once: MALLOC_ARENA_MAX (zstd runs on libuv's thread pool, and glibc's
// one-arena-per-thread default keeps freed buffers resident) and --expose-gc (the archive
// pipeline asks V8 for minor collections; see lib/core/util/release-buffers.ts). The package's
// bin, bin/cloudos-backup, starts Node with both and skips this second process.
if (process.env.CLOUDOS_CLI_CHILD === undefined) {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const { pipelineEnv } = await import('../scripts/pipeline-env.mjs');
  const child = spawn(
    process.execPath,
    [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...pipelineEnv(), ...process.env, CLOUDOS_CLI_CHILD: '1' },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
} else {
  const { freshBundle, ROOT } = await import('../scripts/bundle-fresh.mjs');
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
