import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { changeBackupPassphrase } from '../../lib/core/keys/backup-keys';
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
  const change = await changeBackupPassphrase(db, instanceKey, { current, next });
  const { keyId } = change.keyFile;
  if (values.json) {
    printJson({ ok: true, keyId, written: change.written, pending: change.pending });
    return 0;
  }
  printLine('Backup passphrase changed.');
  printLine(
    `The new passphrase opens every backup of this instance, the older ones too: here, and on a new server through keys/${keyId}.json on the backup's target.`,
  );
  if (change.written.length > 0) printLine(`That key file was written to: ${change.written.join(', ')}.`);
  for (const { target, reason } of change.pending)
    printLine(
      `Pending on "${target}" (written at its next backup; until then a new server needs the old passphrase for its backups): ${reason}`,
    );
  printLine(
    'The old passphrase still opens the backups made before this change (each carries a copy of the key under the passphrase of its day); backups made from now on open only with the new one.',
  );
  return 0;
}
