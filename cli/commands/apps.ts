import { parseArgs } from 'node:util';
import { appOverview } from '../../lib/core/apps/app-overview';
import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { formatBytes } from '../../lib/core/util/format-bytes';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';

export async function runApps(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new UsageError(sub ? `unknown apps command "${sub}"` : 'missing apps command (list)');
  const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, strict: true });
  const { db } = await prepareInstance();
  const env = getEnv();
  const { apps, docker } = await appOverview(db, env);
  if (values.json) {
    printJson({ appsDir: env.appsDir, docker, apps });
    return 0;
  }
  if (docker !== 'available')
    printLine(`Docker is ${docker === 'missing' ? 'not installed' : 'not running'}: apps are treated as not running.`);
  if (apps.length === 0) {
    printLine(`No apps in ${env.appsDir}. Try: cloudos-backup demo-apps`);
    return 0;
  }
  const rows = apps.map((a) => [
    a.id,
    a.error ? 'broken' : a.running ? 'running' : 'stopped',
    a.error ? '' : a.consistency,
    a.error ? '' : String(a.volumes.length),
    a.error ? '' : formatBytes(a.bytes),
    a.error ?? a.services.map((s) => s.name).join(', '),
  ]);
  printLine(formatTable([['APP', 'STATE', 'MODE', 'VOLUMES', 'DATA', 'SERVICES / PROBLEM'], ...rows]));
  return 0;
}
