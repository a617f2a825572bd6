#!/usr/bin/env node
// Runs the CLI from its bundle (dist/, built by `npm ci` and `npm run build`) when it is up
// to date, else straight from the TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { freshBundle, ROOT } from '../scripts/bundle-fresh.mjs';

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
