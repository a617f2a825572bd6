import type { BackupManifest } from '../backup/manifest';
import { readSmallObject } from '../backup/repository';
import { type KeyFile, parseKeyFile, tryOpenKeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import type { StorageTarget } from '../storage/storage-target';
import { readHeaderKeyFile } from './header-key-file';
import type { OpenedKey, ScanOptions } from './scan-repository';

async function openKeyFileOnTarget(target: StorageTarget, keyId: string, passphrase: string): Promise<OpenedKey | null> {
  const name = `keys/${keyId}.json`;
  let keyFile: KeyFile;
  try {
    keyFile = parseKeyFile(JSON.parse((await readSmallObject(target, name, 64 * 1024)).toString('utf8')));
  } catch {
    throw new AppError('corrupted', `${name} is damaged: it is not a key file.`);
  }
  if (keyFile.keyId !== keyId) throw new AppError('corrupted', `${name} holds the key file of another key (${keyFile.keyId}).`);
  try {
    const masterKey = await tryOpenKeyFile(keyFile, passphrase);
    return masterKey ? { masterKey, keyFile, source: 'passphrase' } : null;
  } catch {
    throw new AppError(
      'corrupted',
      `${name} no longer matches the key it holds (damaged); the archives' own key copies are tried instead.`,
    );
  }
}

/**
 * The keys a scan can use: those the instance holds, and with a passphrase those it opens —
 * key files of the manifests' keys first, then the other key files (which open nothing
 * listed but tell a right passphrase from a wrong one on a repository without backups), then
 * archive headers' copies of keys whose key file is gone. A passphrase that opens nothing,
 * and is not that of a held key, fails the scan with how many key files it tried.
 */
export async function collectKeys(
  target: StorageTarget,
  listing: { keyIds: string[]; manifests: { manifest: BackupManifest }[]; archives: Map<string, number> },
  options: ScanOptions,
): Promise<{ keys: Map<string, OpenedKey>; keyProblems: string[] }> {
  const keys = new Map<string, OpenedKey>();
  const keyProblems: string[] = [];
  const wanted = [...new Set(listing.manifests.map((m) => m.manifest.keyId))];
  for (const keyId of wanted) {
    const held = options.held(keyId);
    if (held) keys.set(keyId, { ...held, source: 'held' });
  }
  const { passphrase } = options;
  if (passphrase === undefined) return { keys, keyProblems };

  const ordered = [...listing.keyIds.filter((k) => wanted.includes(k)), ...listing.keyIds.filter((k) => !wanted.includes(k))];
  let opens = false;
  for (const keyId of ordered.filter((k) => !keys.has(k))) {
    const opened = await openKeyFileOnTarget(target, keyId, passphrase).catch((error: unknown) => {
      keyProblems.push(error instanceof Error ? error.message : String(error));
      return null;
    });
    if (opened) keys.set(keyId, opened);
    opens ||= opened !== null;
  }
  for (const keyId of wanted.filter((k) => !keys.has(k))) {
    const sample = listing.manifests.find((m) => m.manifest.keyId === keyId && listing.archives.has(m.manifest.objectKey));
    // A header that cannot be read or parsed opens nothing; the manifests of its key are then
    // refused with "no key opens it", which is the truth.
    const keyFile = sample ? await readHeaderKeyFile(target, sample.manifest.objectKey).catch(() => null) : null;
    const masterKey = keyFile?.keyId === keyId ? await tryOpenKeyFile(keyFile, passphrase).catch(() => null) : null;
    if (keyFile && masterKey) keys.set(keyId, { masterKey, keyFile, source: 'passphrase' });
    opens ||= masterKey !== null;
  }
  // Opening nothing new is fine when the passphrase is that of a key held already.
  for (const keyId of ordered.filter((k) => keys.get(k)?.source === 'held')) {
    if (opens) break;
    opens = (await openKeyFileOnTarget(target, keyId, passphrase).catch(() => null)) !== null;
  }
  if (!opens) {
    const n = listing.keyIds.length;
    throw new AppError(
      'wrong_passphrase',
      `This passphrase opens none of the ${n} key file${n === 1 ? '' : 's'} on this target${wanted.length > 0 ? ' nor any archive on it' : ''}; nothing was imported.`,
    );
  }
  return { keys, keyProblems };
}
