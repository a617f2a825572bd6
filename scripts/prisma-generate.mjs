// `prisma generate` wants to download its schema engine even though generating the client
// does not use it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file keeps it offline.
// Set only here, for generate (DESIGN.md §9).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/prisma')) {
  console.log('prisma-generate: prisma is not installed (production install?), skipping');
  process.exit(0);
}
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const res = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
