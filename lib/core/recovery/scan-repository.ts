import { type BackupManifest, manifestMacValid, manifestSchema } from '../backup/manifest';
import { archiveKey, hasRepository, MARKER_KEY, readSmallObject } from '../backup/repository';
import { type KeyFile, parseKeyFile, tryOpenKeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import type { StorageTarget, StoredObject } from '../storage/storage-target';
import { readHeaderKeyFile } from './header-key-file';

/** A master key the scan can use, and how it got it. */
export interface OpenedKey {
  masterKey: Buffer;
  keyFile: KeyFile;
  /** `held`: the instance had it; `passphrase`: the passphrase opened a key file on the target. */
  source: 'held' | 'passphrase';
}

/** A backup whose manifest verified, with its archive object present at the manifest's size. */
export interface FoundBackup {
  manifest: BackupManifest;
  key: OpenedKey;
}

export interface RefusedManifest {
  /** The backup id its file name gives. */
  id: string;
  reason: string;
}

export interface RepositoryScan {
  /** How many key files `keys/` holds. */
  keyFiles: number;
  /** Every key the scan could open or was given, by id. */
  keys: Map<string, OpenedKey>;
  /** Newest first. */
  found: FoundBackup[];
  refused: RefusedManifest[];
  /** Key files that are damaged or no longer match the key they hold. */
  keyProblems: string[];
}

export interface ScanOptions {
  /** Keys the instance holds already (its own and imported ones), by id. */
  held: (keyId: string) => { masterKey: Buffer; keyFile: KeyFile } | null;
  /** Opens key files on the target (and archive headers' copies) for keys not held. */
  passphrase?: string;
}

const MANIFEST_NAME = /^manifests\/([0-9a-f]{32})\.json$/;
const KEY_NAME = /^keys\/([0-9a-f]{32})\.json$/;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

async function listAll(target: StorageTarget, prefix: string): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const object of target.list(prefix)) out.push(object);
  return out;
}

async function readJson(target: StorageTarget, key: string, limit: number): Promise<unknown> {
  return JSON.parse((await readSmallObject(target, key, limit)).toString('utf8'));
}

/**
 * Reads a target's repository (docs/FORMAT.md §4) and sorts its manifests into the backups
 * that can be trusted and the ones that cannot, with the reason. A manifest is trusted when a
 * key the instance holds, or one the passphrase opens (from `keys/`, or from an archive
 * header's copy when the key file is gone), verifies its MAC, and its archive object is there
 * at the size it gives. Reads only; changes nothing on the target.
 */
export async function scanRepository(target: StorageTarget, options: ScanOptions): Promise<RepositoryScan> {
  if (!(await hasRepository(target)))
    throw new AppError(
      'not_found',
      `There is no Cloud OS backup repository on this target (no ${MARKER_KEY} at its root): check the directory, bucket, folder or remote path.`,
    );
  const [keyObjects, manifestObjects, archiveObjects] = await Promise.all([
    listAll(target, 'keys/'),
    listAll(target, 'manifests/'),
    listAll(target, 'archives/'),
  ]);
  const archives = new Map(archiveObjects.map((o) => [o.key, o.size]));
  const manifests: { id: string; manifest: BackupManifest }[] = [];
  const refused: RefusedManifest[] = [];
  for (const object of manifestObjects) {
    const id = MANIFEST_NAME.exec(object.key)?.[1];
    if (!id) continue; // not a manifest name: nothing this format wrote
    const parsed = await readJson(target, object.key, MAX_MANIFEST_BYTES).then(
      (raw) => manifestSchema.safeParse(raw),
      () => null,
    );
    if (!parsed?.success) refused.push({ id, reason: `${object.key} is damaged: it is not a valid manifest.` });
    else if (parsed.data.id !== id) refused.push({ id, reason: `${object.key} describes another backup (${parsed.data.id}).` });
    else manifests.push({ id, manifest: parsed.data });
  }

  const keys = new Map<string, OpenedKey>();
  const keyProblems: string[] = [];
  const wanted = [...new Set(manifests.map((m) => m.manifest.keyId))];
  for (const keyId of wanted) {
    const held = options.held(keyId);
    if (held) keys.set(keyId, { ...held, source: 'held' });
  }
  if (options.passphrase !== undefined) {
    // Key files of the manifests' keys first; then the others, which open nothing listed here
    // but tell a wrong passphrase from a right one on a repository without backups.
    const keyIds = keyObjects.flatMap((o) => KEY_NAME.exec(o.key)?.[1] ?? []);
    const ordered = [...keyIds.filter((k) => wanted.includes(k)), ...keyIds.filter((k) => !wanted.includes(k))];
    let opens = false;
    for (const keyId of ordered) {
      if (keys.has(keyId)) continue;
      const opened = await openKeyFileOnTarget(target, keyId, options.passphrase).catch((error: unknown) => {
        keyProblems.push(error instanceof Error ? error.message : String(error));
        return null;
      });
      if (opened) keys.set(keyId, opened);
      opens ||= opened !== null;
    }
    // A key whose key file is gone may still open through an archive header's copy.
    for (const keyId of wanted) {
      if (keys.has(keyId)) continue;
      const sample = manifests.find((m) => m.manifest.keyId === keyId && archives.has(m.manifest.objectKey));
      const keyFile = sample ? await readHeaderKeyFile(target, sample.manifest.objectKey).catch(() => null) : null;
      const masterKey = keyFile?.keyId === keyId ? await tryOpenKeyFile(keyFile, options.passphrase).catch(() => null) : null;
      if (keyFile && masterKey) keys.set(keyId, { masterKey, keyFile, source: 'passphrase' });
      opens ||= masterKey !== null;
    }
    // Opening nothing new is fine when the passphrase is that of a key held already.
    for (const keyId of ordered) {
      if (opens) break;
      if (keys.get(keyId)?.source === 'held')
        opens = (await openKeyFileOnTarget(target, keyId, options.passphrase).catch(() => null)) !== null;
    }
    if (!opens)
      throw new AppError(
        'wrong_passphrase',
        `This passphrase opens none of the ${keyIds.length} key file${keyIds.length === 1 ? '' : 's'} on this target${wanted.length > 0 ? ' nor any archive on it' : ''}; nothing was imported.`,
      );
  }

  const found: FoundBackup[] = [];
  for (const { id, manifest } of manifests) {
    const key = keys.get(manifest.keyId);
    const size = archives.get(manifest.objectKey);
    if (!key)
      refused.push({
        id,
        reason: `No key this instance holds opens it (key ${manifest.keyId}): it belongs to another instance, or to a passphrase not given. Import with that passphrase to add it.`,
      });
    else if (!manifestMacValid(key.masterKey, manifest))
      refused.push({
        id,
        reason: `Its manifest fails its MAC check under key ${manifest.keyId}: it was changed after it was written.`,
      });
    else if (manifest.objectKey !== archiveKey(id))
      refused.push({ id, reason: `Its manifest names an unexpected object (${manifest.objectKey}).` });
    else if (size === undefined) refused.push({ id, reason: `Its archive ${manifest.objectKey} is missing from the target.` });
    else if (size !== manifest.storedBytes)
      refused.push({
        id,
        reason: `Its archive ${manifest.objectKey} holds ${size} bytes, the manifest says ${manifest.storedBytes}: truncated or extended.`,
      });
    else found.push({ manifest, key });
  }
  found.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  return { keyFiles: keyObjects.filter((o) => KEY_NAME.test(o.key)).length, keys, found, refused, keyProblems };
}

async function openKeyFileOnTarget(target: StorageTarget, keyId: string, passphrase: string): Promise<OpenedKey | null> {
  const name = `keys/${keyId}.json`;
  let keyFile: KeyFile;
  try {
    keyFile = parseKeyFile(await readJson(target, name, 64 * 1024));
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
