import { MAX_HEADER_BYTES, PREAMBLE_BYTES, parseHeaderJson, parsePreamble } from '../archive/format';
import type { KeyFile } from '../crypto/key-file';
import type { StorageTarget } from '../storage/storage-target';

/**
 * The key file copied into an archive's header (docs/FORMAT.md §2.1), read with one ranged
 * request: what opens a backup whose `keys/` file was lost. Not authenticated by itself — the
 * key it opens is checked against its id, and the manifest's MAC against the key.
 */
export async function readHeaderKeyFile(target: StorageTarget, objectKey: string): Promise<KeyFile> {
  const parts: Buffer[] = [];
  for await (const part of await target.get(objectKey, { range: { start: 0, end: PREAMBLE_BYTES + MAX_HEADER_BYTES - 1 } }))
    parts.push(Buffer.from(part));
  const bytes = Buffer.concat(parts);
  const length = parsePreamble(bytes.subarray(0, PREAMBLE_BYTES));
  return parseHeaderJson(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + length)).masterKey;
}
