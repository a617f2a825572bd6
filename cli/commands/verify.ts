import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { requireFeature } from '../../lib/core/license/require-feature';
import { CHECK_NAMES, type CheckName } from '../../lib/core/verification/checks';
import { startVerification } from '../../lib/core/verification/start-verification';
import { getVerification } from '../../lib/core/verification/verifications';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { runHere, runVerifyCommand } from './restore';

function parseChecks(list: string): CheckName[] {
  const names = list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`--checks needs at least one of ${CHECK_NAMES.join(', ')}`);
  for (const name of names)
    if (!(CHECK_NAMES as readonly string[]).includes(name))
      throw new UsageError(`unknown check "${name}" (the checks: ${CHECK_NAMES.join(', ')})`);
  return names as CheckName[];
}

/**
 * `verify ID [--json]` is the manual verify (restore.ts). `verify ID --checks a,b [--json]`
 * runs a verification here, recorded like one started from the web: exit 1 when any check
 * fails or the verification could not finish, 0 when every check passed or warned.
 */
export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, checks: { type: 'string' } },
    strict: true,
  });
  if (values.checks === undefined) return runVerifyCommand(argv);
  const [id, extra] = positionals;
  if (!id) throw new UsageError('missing backup ID (see: cloudos-backup list)');
  if (extra) throw new UsageError(`unexpected argument "${extra}"`);
  const checks = parseChecks(values.checks);
  const { db } = await prepareInstance();
  // Verification checks are a Pro+ feature here as in the UI and the API; plain verify is free.
  await requireFeature(db, 'backup_verification');
  const { jobId, verificationId } = await startVerification(db, id, { checks, createdBy: 'cli' });
  const job = await runHere(jobId, values.json);
  const verification = await getVerification(db, verificationId);
  if (!verification) throw new Error('the verification disappeared');
  const failed = job.status !== 'succeeded' || verification.checks.some((c) => c.result === 'fail');
  if (values.json) {
    printJson({
      ...verification,
      jobStatus: job.status,
      error: job.errorMessage ? { code: job.errorCode, message: job.errorMessage } : null,
    });
    return failed ? 1 : 0;
  }
  const rows = verification.checks.map((c) => [c.name, c.result, `${c.durationMs} ms`, c.message]);
  if (rows.length > 0) printLine(formatTable([['CHECK', 'RESULT', 'TIME', 'MESSAGE'], ...rows]));
  printLine(
    `Verification of backup ${verification.backupId}: ${verification.state}.${verification.message ? ` ${verification.message}` : ''}`,
  );
  if (job.status !== 'succeeded' && job.errorMessage)
    process.stderr.write(`cloudos-backup: verify ${job.status}: ${job.errorMessage}\n`);
  return failed ? 1 : 0;
}
