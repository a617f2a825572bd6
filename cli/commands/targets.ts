import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../lib/core/errors';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { type ImportReport, importBackups } from '../../lib/core/recovery/import-backups';
import { removeTarget } from '../../lib/core/targets/remove-target';
import { createTarget, listTargets, testTarget } from '../../lib/core/targets/targets';
import { formatBytes } from '../../lib/core/util/format-bytes';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { readSecretFile } from '../read-secret';

const ADD_OPTIONS = {
  path: { type: 'string' },
  keep: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  bucket: { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-access-key-file': { type: 'string' },
  prefix: { type: 'string' },
  'ca-certificate-file': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  username: { type: 'string' },
  'password-file': { type: 'string' },
  'private-key-file': { type: 'string' },
  'key-passphrase-file': { type: 'string' },
  'remote-path': { type: 'string' },
  'forget-backups': { type: 'boolean', default: false },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} must be a whole number`);
  return n;
}

function buildInput(kind: string | undefined, name: string | undefined, v: Record<string, string | boolean | undefined>) {
  if (!name) throw new UsageError('missing target NAME');
  const s = (key: keyof typeof ADD_OPTIONS) => v[key] as string | undefined;
  const keepLast = wholeNumber(s('keep'), '--keep');
  switch (kind) {
    case 'local':
      return { kind, name, path: s('path'), keepLast };
    case 's3': {
      const secretFile = s('secret-access-key-file');
      if (!secretFile) throw new UsageError('--secret-access-key-file is required');
      const caFile = s('ca-certificate-file');
      return {
        kind,
        name,
        endpoint: s('endpoint'),
        region: s('region'),
        bucket: s('bucket'),
        accessKeyId: s('access-key-id'),
        secretAccessKey: readSecretFile(secretFile, 'secret access key'),
        prefix: s('prefix'),
        caCertificate: caFile ? readTextFile(caFile, 'CA certificate') : undefined,
        keepLast,
      };
    }
    case 'sftp': {
      const passwordFile = s('password-file');
      const keyFile = s('private-key-file');
      if (Boolean(passwordFile) === Boolean(keyFile))
        throw new UsageError('give exactly one of --password-file or --private-key-file');
      const keyPassphraseFile = s('key-passphrase-file');
      const auth = passwordFile
        ? { method: 'password', password: readSecretFile(passwordFile, 'password') }
        : {
            method: 'key',
            privateKey: readTextFile(keyFile as string, 'private key'),
            ...(keyPassphraseFile ? { passphrase: readSecretFile(keyPassphraseFile, 'key passphrase') } : {}),
          };
      return {
        kind,
        name,
        host: s('host'),
        port: wholeNumber(s('port'), '--port'),
        username: s('username'),
        auth,
        remotePath: s('remote-path'),
        keepLast,
      };
    }
    default:
      throw new UsageError(
        kind ? `unknown target kind "${kind}" (local, s3 or sftp)` : 'missing target kind (local, s3 or sftp)',
      );
  }
}

/** A whole PEM file (a key or a certificate), kept as it is. */
function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError(
      'invalid_input',
      `cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function runTargets(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options: ADD_OPTIONS, allowPositionals: true, strict: true });
  const { db, instanceKey } = await prepareInstance();
  if (sub === 'add') {
    const [kind, name] = positionals;
    const target = await createTarget(db, instanceKey, buildInput(kind, name, values));
    if (values.json) printJson(target);
    else printLine(`Target "${target.name}" (${target.kind}) added. Check it with: cloudos-backup targets test "${target.name}"`);
    return 0;
  }
  if (sub === 'list') {
    const targets = await listTargets(db);
    if (values.json) printJson(targets);
    else if (targets.length === 0) printLine('No targets yet.');
    else {
      const where = (t: (typeof targets)[number]) =>
        String(
          t.config.path ??
            (t.config.bucket
              ? `s3://${t.config.bucket}/${t.config.prefix ?? ''}`
              : `sftp://${t.config.host}${t.config.remotePath}`),
        );
      const rows = targets.map((t) => [
        t.name,
        t.kind,
        where(t),
        t.lastTest ? (t.lastTest.ok ? 'ok' : 'failed') : 'not tested',
        t.keyFilePending ? 'pending (written at its next backup)' : 'current',
      ]);
      printLine(formatTable([['NAME', 'KIND', 'LOCATION', 'LAST TEST', 'KEY FILE'], ...rows]));
    }
    return 0;
  }
  if (sub === 'import') {
    const [name] = positionals;
    if (!name || positionals.length > 1) throw new UsageError('give exactly one target NAME to import');
    const passphraseFile = values['passphrase-file'];
    const passphrase = passphraseFile ? readSecretFile(passphraseFile, 'passphrase') : undefined;
    const report = await importBackups(db, instanceKey, name, { passphrase, createdBy: 'cli' });
    if (values.json) printJson(report);
    else printImportReport(report);
    return 0;
  }
  if (sub === 'test' || sub === 'remove') {
    const [name] = positionals;
    if (!name || positionals.length > 1) throw new UsageError(`give exactly one target NAME to ${sub}`);
    if (sub === 'remove') {
      await removeTarget(db, name, { forgetBackups: values['forget-backups'] });
      if (values.json) printJson({ ok: true });
      else printLine(`Target "${name}" removed. Its backups stay where they are.`);
      return 0;
    }
    const result = await testTarget(db, instanceKey, name);
    if (values.json) printJson(result);
    else
      for (const step of result.steps)
        printLine(`${step.ok ? 'ok    ' : 'FAILED'} ${step.step}${step.message ? `: ${step.message}` : ''}`);
    return result.ok ? 0 : 1;
  }
  throw new UsageError(sub ? `unknown targets command "${sub}"` : 'missing targets command (add, list, test, remove or import)');
}

function printImportReport(report: ImportReport): void {
  const n = report.imported.length;
  printLine(`Imported ${n} backup${n === 1 ? '' : 's'} from "${report.target}"${n > 0 ? ' (newest first):' : '.'}`);
  for (const b of report.imported)
    printLine(
      `  ${b.id}  ${b.createdAt.slice(0, 16).replace('T', ' ')}  ${b.scope === 'full' ? 'full system' : b.apps.join(', ')}  ${formatBytes(b.storedBytes)}`,
    );
  if (report.known.length > 0) printLine(`Already in the catalog: ${report.known.length}.`);
  if (report.refused.length > 0) printLine(`Refused ${report.refused.length} (not imported):`);
  for (const r of report.refused) printLine(`  ${r.id}: ${r.reason}`);
  for (const problem of report.keyProblems) printLine(`Key file problem: ${problem}`);
  if (report.adoptedKeyId)
    printLine(
      `This instance had made no backup yet and was set up with the same passphrase: it now uses the old server's key (${report.adoptedKeyId}) for its backups too.`,
    );
}
