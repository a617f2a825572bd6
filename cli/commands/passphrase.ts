import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { changeBackupPassphrase } from '../../lib/core/setup/backup-keys';
import { UsageError } from '../cli-error';
import { printJson, printLine } from '../output';
import { readSecretFile } from '../read-secret';

export async function runPassphrase(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'change') throw new UsageError(sub ? `unknown passphrase command "${sub}"` : 'missing passphrase command (change)');
  const { values } = parseArgs({
    args: rest,
    options: { 'current-file': { type: 'string' }, 'new-file': { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values['current-file']) throw new UsageError('--current-file is required');
  if (!values['new-file']) throw new UsageError('--new-file is required');
  const current = readSecretFile(values['current-file'], 'current passphrase');
  const next = readSecretFile(values['new-file'], 'new passphrase');
  const { db, instanceKey } = await prepareInstance();
  const keyFile = await changeBackupPassphrase(db, instanceKey, { current, next });
  if (values.json) printJson({ ok: true, keyId: keyFile.keyId });
  else printLine('Backup passphrase changed. Existing backups open with the new passphrase, and still with the old one.');
  return 0;
}
