import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFreeSpace, type PlannedAppRestore } from './plan-restore';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cloudos-free-space-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function planOf(bytes: number): PlannedAppRestore {
  return {
    id: 'photos',
    appDir: path.join(root, 'photos'),
    current: null,
    stagingDir: path.join(root, '.restore-x-photos'),
    composeFiles: ['docker-compose.yml'],
    volumes: [],
    bytes,
  };
}

describe('checkFreeSpace', () => {
  it('refuses a restore whose staging does not fit on the filesystem, saying how much is needed', async () => {
    await expect(checkFreeSpace([planOf(10 ** 15)])).rejects.toMatchObject({
      code: 'no_space',
      message: expect.stringMatching(
        new RegExp(
          `^Not enough free space in ${root}: the restore stages 1010000000\\.0 MB there before swapping, \\d+\\.\\d MB are free\\. Nothing was changed\\.$`,
        ),
      ),
    });
  });

  it('lets one that fits go ahead', async () => {
    await expect(checkFreeSpace([planOf(1024)])).resolves.toBeUndefined();
  });
});
