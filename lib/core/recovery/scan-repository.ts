import { type BackupManifest, manifestMacValid, manifestSchema } from '../backup/manifest';
import { archiveKey, hasRepository, MARKER_KEY, readSmallObject } from '../backup/repository';
import type { KeyFile } from '../crypto/key-file';
import { AppError } from '../errors';
import type { StorageTarget, StoredObject } from '../storage/storage-target';
import { collectKeys } from './collect-keys';

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

interface Listing {
  keyIds: string[];
  manifests: { id: string; manifest: BackupManifest }[];
  /** Manifests that cannot even be read as one. */
  unreadable: RefusedManifest[];
  /** Archive object sizes by key. */
  archives: Map<string, number>;
}

async function readListing(target: StorageTarget): Promise<Listing> {
  const [keyObjects, manifestObjects, archiveObjects] = await Promise.all([
    listAll(target, 'keys/'),
    listAll(target, 'manifests/'),
    listAll(target, 'archives/'),
  ]);
  const listing: Listing = {
    keyIds: keyObjects.flatMap((o) => KEY_NAME.exec(o.key)?.[1] ?? []),
    manifests: [],
    unreadable: [],
    archives: new Map(archiveObjects.map((o) => [o.key, o.size])),
  };
  for (const object of manifestObjects) {
    const id = MANIFEST_NAME.exec(object.key)?.[1];
    if (!id) continue; // not a manifest name: nothing this format wrote
    const parsed = await readJson(target, object.key, MAX_MANIFEST_BYTES).then(
      (raw) => manifestSchema.safeParse(raw),
      () => null,
    );
    if (!parsed?.success) listing.unreadable.push({ id, reason: `${object.key} is damaged: it is not a valid manifest.` });
    else if (parsed.data.id !== id)
      listing.unreadable.push({ id, reason: `${object.key} describes another backup (${parsed.data.id}).` });
    else listing.manifests.push({ id, manifest: parsed.data });
  }
  return listing;
}

/** Why a manifest cannot be trusted with this key and archive size, or null when it can. */
function refusal(id: string, manifest: BackupManifest, key: OpenedKey | undefined, size: number | undefined): string | null {
  if (!key)
    return `No key this instance holds opens it (key ${manifest.keyId}): it belongs to another instance, or to a passphrase not given. Import with that passphrase to add it.`;
  if (!manifestMacValid(key.masterKey, manifest))
    return `Its manifest fails its MAC check under key ${manifest.keyId}: it was changed after it was written.`;
  if (manifest.objectKey !== archiveKey(id)) return `Its manifest names an unexpected object (${manifest.objectKey}).`;
  if (size === undefined) return `Its archive ${manifest.objectKey} is missing from the target.`;
  if (size !== manifest.storedBytes)
    return `Its archive ${manifest.objectKey} holds ${size} bytes, the manifest says ${manifest.storedBytes}: truncated or extended.`;
  return null;
}

/**
 * Reads a target's repository (docs/FORMAT.md §4.1) and sorts its manifests into the backups
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
  const listing = await readListing(target);
  const { keys, keyProblems } = await collectKeys(target, listing, options);
  const found: FoundBackup[] = [];
  const refused = [...listing.unreadable];
  for (const { id, manifest } of listing.manifests) {
    const key = keys.get(manifest.keyId);
    const reason = refusal(id, manifest, key, listing.archives.get(manifest.objectKey));
    if (key && reason === null) found.push({ manifest, key });
    else refused.push({ id, reason: reason ?? 'No key opens it.' });
  }
  found.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  return { keyFiles: listing.keyIds.length, keys, found, refused, keyProblems };
}
