import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { AppError } from '../errors';
import { putSetting, SettingKey } from '../settings/settings';
import { readTimeZone, writeTimeZone } from './time-zone-setting';

let instance: TempInstance;
beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

describe('the instance time zone setting', () => {
  it('is the TZ fallback until set, then what was set, in its canonical spelling', async () => {
    expect(await readTimeZone(instance.db, 'UTC')).toBe('UTC');
    expect(await writeTimeZone(instance.db, ' europe/berlin ')).toBe('Europe/Berlin');
    expect(await readTimeZone(instance.db, 'UTC')).toBe('Europe/Berlin');
  });

  it.each(['Mars/Olympus_Mons', '', '  ', 42, null])('rejects %j with a field error and keeps the old value', async (bad) => {
    await writeTimeZone(instance.db, 'America/New_York');
    const failure = await writeTimeZone(instance.db, bad).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).fields?.timeZone).toMatch(/is not a known IANA time zone/);
    expect(await readTimeZone(instance.db, 'UTC')).toBe('America/New_York');
  });

  it('reads a hand-edited unknown zone as the fallback, so schedules keep running', async () => {
    await putSetting(instance.db, SettingKey.instanceTimeZone, 'Nowhere/Special');
    expect(await readTimeZone(instance.db, 'Asia/Tokyo')).toBe('Asia/Tokyo');
  });
});
