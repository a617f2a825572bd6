// Bundles the CLI and the worker into dist/ with esbuild (already installed with tsx): they
// start faster and use ~50 MiB less memory than running the TypeScript through tsx. npm
// dependencies stay external and load from node_modules; code splitting keeps each CLI
// command's dependencies lazy (`archive` never loads Prisma). bin/cloudos-backup.mjs falls
// back to tsx when the bundle is missing or older than the sources.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'cli/main.ts', worker: 'worker/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log('build-bundles: wrote dist/cli.mjs and dist/worker.mjs');
