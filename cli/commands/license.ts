import { parseArgs } from 'node:util';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { getLicenseStatus, installLicense, type LicenseView, removeLicense } from '../../lib/core/license/installed-license';
import { UsageError } from '../cli-error';
import { formatTable, printJson, printLine } from '../output';
import { readSecretFile } from '../read-secret';

function describeLicense(license: LicenseView): string {
  return formatTable([
    ['Licensee', license.licensee],
    ['Plan', license.plan],
    ['Features', license.features.join(', ') || '(none)'],
    ['Issued', license.issuedAt.slice(0, 10)],
    ['Expires', license.expiresAt.slice(0, 10)],
    ['License id', license.id],
  ]);
}

export async function runLicense(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'install') {
    const [file] = positionals;
    if (!file || positionals.length > 1)
      throw new UsageError('give exactly one license FILE to install ("-" for standard input)');
    const token = readSecretFile(file, 'license');
    const { db } = await prepareInstance();
    const license = await installLicense(db, token);
    if (values.json) printJson({ state: 'valid', license });
    else printLine(`License installed.\n${describeLicense(license)}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`license ${sub ?? ''} takes no arguments`);
  const { db } = await prepareInstance();
  if (sub === 'show') {
    const status = await getLicenseStatus(db);
    if (values.json) printJson(status);
    else if (status.state === 'none')
      printLine('No license installed: the Free plan. Install one with: cloudos-backup license install FILE');
    else if (status.state === 'invalid') printLine(`The installed license is not valid: ${status.message}`);
    else
      printLine(
        `${status.state === 'expired' ? `EXPIRED: ${status.message}` : 'License valid.'}\n${describeLicense(status.license)}`,
      );
    return 0;
  }
  if (sub === 'remove') {
    const removed = await removeLicense(db);
    if (values.json) printJson({ removed });
    else printLine(removed ? 'License removed: the Free plan applies.' : 'No license was installed.');
    return 0;
  }
  throw new UsageError(sub ? `unknown license command "${sub}"` : 'missing license command (install, show or remove)');
}
