import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { quietAwsSdkNodeWarning } from '../../lib/core/env';

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
  execFileSync('bash', [path.join(ROOT, 'scripts/services/radosgw.sh'), 'start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000, // three start attempts at most; never hang a test run
  });
  return readEnvFile(path.join(SERVICES_DIR, 'radosgw', 's3.env'));
}

/** Starts (or reuses) the real sshd of scripts/services and returns its SFTP settings. */
export function startSshd(): Record<string, string> {
  execFileSync('bash', [path.join(ROOT, 'scripts/services/sshd.sh'), 'start'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  return readEnvFile(path.join(SERVICES_DIR, 'sshd', 'sftp.env'));
}

/** Another S3 user on the test radosgw (created once, same keys every time): its keys. */
export function createS3User(name: string): { accessKeyId: string; secretAccessKey: string } {
  const output = execFileSync('bash', [path.join(ROOT, 'scripts/services/radosgw.sh'), 'user', name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  const keys = Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );
  return { accessKeyId: keys.S3_ACCESS_KEY_ID ?? '', secretAccessKey: keys.S3_SECRET_ACCESS_KEY ?? '' };
}

/** Frees the space of deleted objects on the test radosgw now (see `radosgw.sh gc`). */
export function collectRadosgwGarbage(): void {
  execFileSync('bash', [path.join(ROOT, 'scripts/services/radosgw.sh'), 'gc'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
}

/** A new, empty bucket on the test radosgw. */
export async function createTestBucket(s3: Record<string, string>, prefix = 'test'): Promise<string> {
  const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
  quietAwsSdkNodeWarning(); // as S3Target does: our SDK version is pinned
  const bucket = `${prefix}-${randomBytes(6).toString('hex')}`;
  const client = new S3Client({
    endpoint: s3.S3_ENDPOINT,
    region: s3.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID ?? '', secretAccessKey: s3.S3_SECRET_ACCESS_KEY ?? '' },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return bucket;
}

/** A new directory below the SFTP user's backups folder, owned by that user. */
export function createRemoteDir(sftp: Record<string, string>, prefix = 'run', mode = 0o755): string {
  const base = sftp.SFTP_REMOTE_PATH ?? '';
  const dir = path.join(base, `${prefix}-${randomBytes(6).toString('hex')}`);
  mkdirSync(dir);
  const owner = statSync(base);
  chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, mode);
  return dir;
}

/**
 * Kills the sshd processes serving this process's own connections to the test sshd on
 * `port`, as a crashed or restarted server would end them; other processes' connections
 * (the sshd is shared) and the listener are left alone. Returns how many were dropped.
 */
export function dropOwnSshConnections(port: number): number {
  const sockets = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns.length >= 5)
    .map(([, , local = '', peer = '', ...users]) => ({
      localPort: Number(local.slice(local.lastIndexOf(':') + 1)),
      peerPort: Number(peer.slice(peer.lastIndexOf(':') + 1)),
      pids: [...users.join(' ').matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])),
    }));
  const ours = new Set(sockets.filter((s) => s.peerPort === port && s.pids.includes(process.pid)).map((s) => s.localPort));
  const listener = Number(readFileSync(path.join(SERVICES_DIR, 'sshd', 'sshd.pid'), 'utf8'));
  let dropped = 0;
  for (const socket of sockets) {
    if (socket.localPort !== port || !ours.has(socket.peerPort)) continue;
    for (const pid of socket.pids) {
      if (pid === listener) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
      }
    }
    dropped += 1;
  }
  return dropped;
}
