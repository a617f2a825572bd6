import { ConfigError, getEnv } from '../lib/core/env';
import { isAppError } from '../lib/core/errors';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './cli-error';
import {
  APPS_USAGE,
  ARCHIVE_USAGE,
  BACKUP_USAGE,
  HEALTH_USAGE,
  INIT_USAGE,
  JOBS_USAGE,
  LICENSE_USAGE,
  PASSPHRASE_USAGE,
  RESTORE_USAGE,
  SCHEDULES_USAGE,
  TARGETS_USAGE,
  TOKENS_USAGE,
} from './usage';

const USAGE = `cloudos-backup — encrypted backups for Cloud OS

${INIT_USAGE}
${JOBS_USAGE}
${ARCHIVE_USAGE}
${PASSPHRASE_USAGE}
${TARGETS_USAGE}
${APPS_USAGE}
${BACKUP_USAGE}
${RESTORE_USAGE}
${SCHEDULES_USAGE}
${HEALTH_USAGE}
${LICENSE_USAGE}
${TOKENS_USAGE}

Exit codes: 0 success, 1 operation failed, 2 usage error. Secrets are read only from files or
standard input, never from arguments. Configuration comes from the environment (see README).`;

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : EXIT_USAGE;
  }
  getEnv();
  // Commands load lazily: `archive` must not pay for Prisma, nor `jobs` for the archive code.
  if (command === 'init') return (await import('./commands/init')).runInit(rest);
  if (command === 'jobs') return (await import('./commands/jobs')).runJobs(rest);
  if (command === 'archive') return (await import('./commands/archive')).runArchive(rest);
  if (command === 'passphrase') return (await import('./commands/passphrase')).runPassphrase(rest);
  if (command === 'targets') return (await import('./commands/targets')).runTargets(rest);
  if (command === 'apps') return (await import('./commands/apps')).runApps(rest);
  if (command === 'demo-apps') return (await import('./commands/demo-apps')).runDemoApps(rest);
  if (command === 'backup') return (await import('./commands/backup')).runBackupCommand(rest);
  if (command === 'list') return (await import('./commands/backup')).runListCommand(rest);
  if (command === 'show') return (await import('./commands/backup')).runShowCommand(rest);
  if (command === 'restore') return (await import('./commands/restore')).runRestoreCommand(rest);
  if (command === 'verify') return (await import('./commands/verify')).runVerify(rest);
  if (command === 'health') return (await import('./commands/health')).runHealth(rest);
  if (command === 'schedules') return (await import('./commands/schedules')).runSchedules(rest);
  if (command === 'retention') return (await import('./commands/schedules')).runRetention(rest);
  if (command === 'cleanup') return (await import('./commands/schedules')).runCleanup(rest);
  if (command === 'license') return (await import('./commands/license')).runLicense(rest);
  if (command === 'tokens') return (await import('./commands/tokens')).runTokens(rest);
  throw new UsageError(`unknown command "${command}"`);
}

function describeError(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError) return { code: EXIT_USAGE, message: `${error.message} (see cloudos-backup --help)` };
  // node:util parseArgs reports unknown or malformed options with these codes.
  const nodeCode = (error as NodeJS.ErrnoException)?.code ?? '';
  if (nodeCode.startsWith('ERR_PARSE_ARGS'))
    return { code: EXIT_USAGE, message: `${(error as Error).message} (see cloudos-backup --help)` };
  if (error instanceof ConfigError || isAppError(error)) return { code: EXIT_FAILURE, message: error.message };
  return { code: EXIT_FAILURE, message: `unexpected error: ${error instanceof Error ? error.message : String(error)}` };
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    const { code, message } = describeError(error);
    process.stderr.write(`cloudos-backup: ${message}\n`);
    return code;
  }
}
