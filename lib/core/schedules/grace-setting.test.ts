import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { AppError } from '../errors';
import { putSetting, SettingKey } from '../settings/settings';
import { readGraceMs, writeGraceMinutes } from './grace-setting';

let instance: TempInstance;
beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

describe('the scheduler grace window setting', () => {
  it('is an hour until set, then what was set', async () => {
    expect(await readGraceMs(instance.db)).toBe(60 * 60_000);
    await writeGraceMinutes(instance.db, 15);
    expect(await readGraceMs(instance.db)).toBe(15 * 60_000);
    await writeGraceMinutes(instance.db, 0);
    expect(await readGraceMs(instance.db)).toBe(0);
  });

  it.each([-1, 1.5, 10_081, '30', null])('rejects %j and keeps the old value', async (bad) => {
    await writeGraceMinutes(instance.db, 20);
    await expect(writeGraceMinutes(instance.db, bad)).rejects.toThrow(AppError);
    expect(await readGraceMs(instance.db)).toBe(20 * 60_000);
  });

  it('reads a hand-edited nonsense value as the default', async () => {
    await putSetting(instance.db, SettingKey.scheduleGraceMinutes, 'soon');
    expect(await readGraceMs(instance.db)).toBe(60 * 60_000);
  });
});
