import { parseArgs } from 'node:util';
import { createDemoApps } from '../../lib/core/apps/demo-apps';
import { getEnv } from '../../lib/core/env';
import { printJson, printLine } from '../output';

export async function runDemoApps(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, strict: true });
  const { appsDir } = getEnv();
  const created = createDemoApps(appsDir);
  if (values.json) printJson({ appsDir, created });
  else {
    printLine(`Created ${created.join(', ')} in ${appsDir}.`);
    printLine('Back them up with: cloudos-backup backup --target "Local backups" --full');
  }
  return 0;
}
