// Whether dist/<name>.mjs is newer than every source it is built from. Shared by the CLI
// launcher and `npm start`, so a stale bundle is never run by mistake.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['cli', 'worker', 'lib/core', 'package.json'];

// Tests are not part of the bundle; adding one must not make the bundle look stale.
const isTest = (name) => /\.test\.tsx?$/.test(name);

function newestMtime(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) if (!isTest(child)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function freshBundle(name) {
  const bundle = path.join(ROOT, 'dist', `${name}.mjs`);
  if (!existsSync(bundle)) return null;
  const built = statSync(bundle).mtimeMs;
  const sources = SOURCES.map((s) => path.join(ROOT, s)).filter(existsSync);
  return sources.every((s) => newestMtime(s) < built) ? bundle : null;
}
