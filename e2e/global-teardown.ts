import { rmSync } from 'node:fs';

/** The fixture apps hold a few hundred MB; the data dir is kept for looking into failures. */
export default function globalTeardown(): void {
  if (process.env.E2E_APPS_ROOT) rmSync(process.env.E2E_APPS_ROOT, { recursive: true, force: true });
}
