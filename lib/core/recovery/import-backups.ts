import type { BackupManifest } from '../backup/manifest';
import { unseal } from '../crypto/seal';
import type { Db } from '../db/client';
import { adoptMasterKey, holdMasterKey, loadKeyRing } from '../keys/key-ring';
import { getSetting, SettingKey } from '../settings/settings';
import { withRetries } from '../storage/with-retries';
import { buildDriver, findTarget } from '../targets/targets';
import { type FoundBackup, type RefusedManifest, scanRepository } from './scan-repository';

export interface ImportedBackup {
  id: string;
  createdAt: string;
  scope: 'full' | 'apps';
  apps: string[];
  storedBytes: number;
}

/** What an import did: every manifest on the target is in exactly one of the three lists. */
export interface ImportReport {
  target: string;
  /** Newest first. */
  imported: ImportedBackup[];
  /** Ids the catalog had already (left untouched). */
  known: string[];
  refused: RefusedManifest[];
  /** Key files on the target that are damaged or no longer match their key. */
  keyProblems: string[];
  /** Master keys the instance holds from now on because of this import. */
  keysAdded: string[];
  /** Set when the instance took the imported key as its own (the adoption rule). */
  adoptedKeyId: string | null;
}

function catalogRow(manifest: BackupManifest, targetId: string, createdBy: string | null) {
  return {
    id: manifest.id,
    targetId,
    scope: manifest.scope,
    apps: JSON.stringify(manifest.apps),
    status: 'succeeded',
    objectKey: manifest.objectKey,
    logicalBytes: BigInt(Math.round(manifest.logicalBytes)),
    storedBytes: BigInt(manifest.storedBytes),
    fileCount: manifest.fileCount,
    sha256: manifest.sha256,
    manifest: JSON.stringify(manifest.contents),
    keyId: manifest.keyId,
    importedAt: new Date(),
    createdBy,
    startedAt: new Date(manifest.createdAt),
    finishedAt: new Date(manifest.finishedAt),
  };
}

/**
 * The adoption rule (docs/DISASTER-RECOVERY.md): an instance that has not made a backup of
 * its own yet, importing with its own backup passphrase backups its own key does not open,
 * takes the key that passphrase opened as its own — the newest backup's. Its never-used key goes; new backups continue under the
 * old server's key, whose key files on the targets keep opening all of them.
 */
async function keyToAdopt(db: Db, instanceKey: Buffer, found: FoundBackup[], passphrase: string | undefined, ownKeyId: string) {
  if (passphrase === undefined || found.some((f) => f.key.keyFile.keyId === ownKeyId)) return null;
  const candidate = found.find((f) => f.key.source === 'passphrase')?.key;
  if (!candidate) return null;
  if ((await db.backup.count({ where: { importedAt: null } })) > 0) return null;
  const sealed = await getSetting(db, SettingKey.backupPassphrase);
  if (!sealed || unseal(instanceKey, SettingKey.backupPassphrase, sealed) !== passphrase) return null;
  return candidate;
}

/**
 * Imports the backups on a target into the catalog (docs/DISASTER-RECOVERY.md): every
 * manifest that a held key, or a key the passphrase opens, verifies — with its archive in
 * place — becomes a catalog row marked imported; rows the catalog has already stay untouched
 * (a rescan adds only what is new); refused manifests are reported with their reason and
 * never imported. Keys the passphrase opened that these backups need are kept, sealed.
 */
export async function importBackups(
  db: Db,
  instanceKey: Buffer,
  targetName: string,
  options: { passphrase?: string; createdBy?: string | null } = {},
): Promise<ImportReport> {
  const row = await findTarget(db, targetName);
  const ring = await loadKeyRing(db, instanceKey);
  const target = withRetries(buildDriver(row, instanceKey));
  const scan = await scanRepository(target, { held: (keyId) => ring.get(keyId), passphrase: options.passphrase }).finally(
    () => target.close().catch(() => {}), // a listing holds nothing that closing could lose
  );

  const adopted = await keyToAdopt(db, instanceKey, scan.found, options.passphrase, ring.own.keyFile.keyId);
  if (adopted) await adoptMasterKey(db, instanceKey, adopted.masterKey, adopted.keyFile);
  const keysAdded: string[] = [];
  for (const key of new Map(scan.found.map((f) => [f.key.keyFile.keyId, f.key])).values())
    if (key.source === 'passphrase' && key !== adopted && (await holdMasterKey(db, instanceKey, key.masterKey, key.keyFile)))
      keysAdded.push(key.keyFile.keyId);

  const ids = scan.found.map((f) => f.manifest.id);
  const known = new Set((await db.backup.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((b) => b.id));
  const fresh = scan.found.filter((f) => !known.has(f.manifest.id));
  await db.backup.createMany({ data: fresh.map((f) => catalogRow(f.manifest, row.id, options.createdBy ?? null)) });
  return {
    target: row.name,
    imported: fresh.map(({ manifest: m }) => ({
      id: m.id,
      createdAt: m.createdAt,
      scope: m.scope,
      apps: m.apps,
      storedBytes: m.storedBytes,
    })),
    known: ids.filter((id) => known.has(id)),
    refused: scan.refused,
    keyProblems: scan.keyProblems,
    keysAdded,
    adoptedKeyId: adopted?.keyFile.keyId ?? null,
  };
}
