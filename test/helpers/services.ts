import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVICES_DIR = process.env.CLOUDOS_SERVICES_DIR ?? '/tmp/cloudos-services';

function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Starts (or reuses) the real radosgw of scripts/services and returns its S3 settings. */
export function startRadosgw(): Record<string, string> {
  execFileSync('bash', [path.join(ROOT, 'scripts/services/radosgw.sh'), 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return readEnvFile(path.join(SERVICES_DIR, 'radosgw', 's3.env'));
}

/** Starts (or reuses) the real sshd of scripts/services and returns its SFTP settings. */
export function startSshd(): Record<string, string> {
  execFileSync('bash', [path.join(ROOT, 'scripts/services/sshd.sh'), 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return readEnvFile(path.join(SERVICES_DIR, 'sshd', 'sftp.env'));
}
