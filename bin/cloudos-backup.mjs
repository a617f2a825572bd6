#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the CLI shares lib/core's sources with the
// web app and the worker without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
// Prisma and timers may hold the event loop open; the command is done.
process.exit(code);
