import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { getConsistencyOverrides } from './app-settings';
import { chooseConsistencyMode } from './choose-consistency';

let harness: BackupHarness;
beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 1024, smallFiles: 10 });
});
afterAll(() => harness.cleanup());

describe('chooseConsistencyMode', () => {
  it('records the mode of an existing app', async () => {
    await chooseConsistencyMode(harness.instance.db, harness.apps.appsDir, { appId: 'photos', mode: 'live' });
    expect((await getConsistencyOverrides(harness.instance.db)).get('photos')).toBe('live');
  });

  it('refuses an unknown app, a path-like name and an unknown mode, storing nothing', async () => {
    const { db } = harness.instance;
    const before = await db.setting.findMany();
    const cases: [unknown, string][] = [
      [{ appId: 'ghost', mode: 'stop' }, 'There is no app "ghost".'],
      [{ appId: '../photos', mode: 'stop' }, 'That is not an app name.'],
      [{ appId: 'notes', mode: 'pause' }, 'The backup mode is "stop" or "live".'],
    ];
    for (const [input, message] of cases) {
      const error = await chooseConsistencyMode(db, harness.apps.appsDir, input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe(message);
    }
    expect(await db.setting.findMany()).toEqual(before);
  });
});
