import type { Db } from '../db/client';
import { AppError, isAppError } from '../errors';
import { SftpTarget } from '../storage/sftp-target';
import { buildDriver, findTarget, type TargetView, toTargetView } from './targets';

const FINGERPRINT = /^[A-Za-z0-9+/]{43}=$/;

/**
 * After a host key mismatch, pins the key the user chose to trust. The user accepts the
 * fingerprint they were shown, not whatever the server presents now: we connect with exactly
 * that key required, so a server that changed its key again (or an impostor answering in
 * between) is refused, and nothing is pinned unless the connection and login succeed.
 */
export async function acceptHostKey(db: Db, instanceKey: Buffer, name: string, fingerprintSha256: string): Promise<TargetView> {
  const row = await findTarget(db, name);
  if (row.kind !== 'sftp') throw new AppError('invalid_input', 'Only SFTP targets have a host key.');
  const fingerprint = fingerprintSha256.replace(/^SHA256:/, '');
  if (!FINGERPRINT.test(fingerprint))
    throw new AppError('invalid_input', 'A host key fingerprint is 44 characters of base64 (SHA256:…).');
  const driver = buildDriver(row, instanceKey, { hostKeySha256: fingerprint });
  if (!(driver instanceof SftpTarget)) throw new AppError('internal', 'Expected an SFTP driver.');
  try {
    await driver.verifyConnection();
  } catch (error) {
    if (isAppError(error) && driver.seenHostKeySha256 && driver.seenHostKeySha256 !== fingerprint) {
      throw new AppError(
        'conflict',
        `The server now presents yet another host key (SHA256:${driver.seenHostKeySha256}); nothing was trusted. Test the connection again and check the new fingerprint with the server's administrator.`,
      );
    }
    throw error;
  } finally {
    await driver.close();
  }
  const updated = await db.target.update({ where: { id: row.id }, data: { hostKeySha256: fingerprint } });
  return toTargetView(updated);
}
