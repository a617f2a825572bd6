// `npm start`: build the web app if its sources changed, then run the web server and the
// worker side by side. Ctrl-C (or SIGTERM) stops both; if one dies, the other is stopped too.
// `npm run dev` runs `next dev` and a restarting worker instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { freshBundle } from './bundle-fresh.mjs';
import { pipelineEnv } from './pipeline-env.mjs';

const dev = process.argv.includes('--dev');
const nextBin = path.join('node_modules', 'next', 'dist', 'bin', 'next');
const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = ['next.config.ts', 'package.json', 'postcss.config.mjs', 'tsconfig.json', 'instrumentation.ts'];

if (!existsSync(nextBin)) {
  console.error('start: dependencies are not installed; run "npm ci" first');
  process.exit(1);
}

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function buildIfNeeded() {
  const buildId = path.join('.next', 'BUILD_ID');
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const changedAt = Math.max(...[...SOURCE_DIRS, ...SOURCE_FILES].map(newestMtime));
  if (builtAt > changedAt) return;
  console.log(builtAt ? 'start: sources changed since the last build; rebuilding' : 'start: building the web app (first run)');
  const res = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (!dev) buildIfNeeded();
if (!dev && !freshBundle('worker')) {
  const res = spawnSync(process.execPath, ['scripts/build-bundles.mjs'], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const port = process.env.PORT || '3000';
const children = [
  spawn(process.execPath, [nextBin, dev ? 'dev' : 'start', '-p', port], { stdio: 'inherit' }),
  dev
    ? spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'watch', 'worker/main.ts'], {
        stdio: 'inherit',
      })
    : spawn(process.execPath, ['--expose-gc', freshBundle('worker') ?? 'dist/worker.mjs'], {
        stdio: 'inherit',
        // Bounded malloc arenas, a thread pool the size of the machine and --expose-gc: see
        // scripts/pipeline-env.mjs and bin/cloudos-backup.mjs.
        env: { ...pipelineEnv(), ...process.env },
      }),
];
console.log(`start: web on http://localhost:${port} and the worker are starting; Ctrl-C stops both`);

let stopping = false;
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stopAll('SIGINT'));
process.on('SIGTERM', () => stopAll('SIGTERM'));

let exitCode = 0;
let running = children.length;
for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!stopping && (code !== 0 || signal)) exitCode = code ?? 1;
    running -= 1;
    stopAll('SIGTERM');
    if (running === 0) process.exit(exitCode);
  });
}
