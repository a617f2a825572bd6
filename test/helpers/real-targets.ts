import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '@/lib/core/db/client';
import { createTarget } from '@/lib/core/targets/targets';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from './services';

export type RealTargetKind = 'local' | 's3' | 'sftp';

/**
 * One stored target of each kind on a real backend — a temporary directory, a new bucket on
 * the test radosgw, a new directory on the test sshd — named after its kind. Only the kinds
 * asked for start their service.
 */
export async function createRealTargets(
  db: Db,
  instanceKey: Buffer,
  kinds: readonly RealTargetKind[] = ['local', 's3', 'sftp'],
  extra: { keepLast?: number } = {},
): Promise<{ cleanup: () => void }> {
  const cleanups: (() => void)[] = [];
  if (kinds.includes('local')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cloudos-real-target-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await createTarget(db, instanceKey, { kind: 'local', name: 'local', path: dir, ...extra });
  }
  if (kinds.includes('s3')) {
    const s3 = startRadosgw();
    await createTarget(db, instanceKey, {
      kind: 's3',
      name: 's3',
      endpoint: s3.S3_ENDPOINT,
      region: 'us-east-1',
      bucket: await createTestBucket(s3, 'cleanup'),
      accessKeyId: s3.S3_ACCESS_KEY_ID,
      secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
      prefix: 'home',
      ...extra,
    });
  }
  if (kinds.includes('sftp')) {
    const sftp = startSshd();
    const dir = createRemoteDir(sftp, 'cleanup');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await createTarget(db, instanceKey, {
      kind: 'sftp',
      name: 'sftp',
      host: sftp.SFTP_HOST,
      port: Number(sftp.SFTP_PORT),
      username: sftp.SFTP_USERNAME,
      auth: { method: 'password', password: sftp.SFTP_PASSWORD },
      remotePath: dir,
      ...extra,
    });
  }
  return {
    cleanup: () => {
      for (const c of cleanups) c();
    },
  };
}
