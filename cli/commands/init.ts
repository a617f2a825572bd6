import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { defaultTargetDir, initializeInstance } from '../../lib/core/setup/initialize-instance';
import { UsageError } from '../cli-error';
import { printJson, printLine } from '../output';
import { readSecretFile } from '../read-secret';

export async function runInit(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'admin-user': { type: 'string' },
      'admin-password-file': { type: 'string' },
      'passphrase-file': { type: 'string' },
      'generate-passphrase': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const username = values['admin-user'];
  const passwordFile = values['admin-password-file'];
  const passphraseFile = values['passphrase-file'];
  if (!username) throw new UsageError('--admin-user is required');
  if (!passwordFile) throw new UsageError('--admin-password-file is required');
  if (Boolean(passphraseFile) === values['generate-passphrase']) {
    throw new UsageError('give exactly one of --passphrase-file or --generate-passphrase');
  }
  const password = readSecretFile(passwordFile, 'admin password');
  const passphrase = passphraseFile
    ? { mode: 'choose' as const, value: readSecretFile(passphraseFile, 'passphrase') }
    : { mode: 'generate' as const };
  const { db, instanceKey } = await prepareInstance();
  const result = await initializeInstance(
    db,
    instanceKey,
    { username, password, passphrase },
    { defaultTargetDir: defaultTargetDir() },
  );
  if (values.json) {
    printJson({
      ok: true,
      userId: result.userId,
      ...(result.generatedPassphrase ? { generatedPassphrase: result.generatedPassphrase } : {}),
    });
  } else {
    printLine(`Instance set up. Admin user: ${username.trim().toLowerCase()}`);
    if (result.generatedPassphrase) {
      printLine(`Backup passphrase (shown once): ${result.generatedPassphrase}`);
      printLine('Write it down and keep it away from this server: without it, backups cannot be restored on another server.');
    }
  }
  return 0;
}
