import 'server-only';
import type { Db } from '@/lib/core/db/client';
import { getEnv } from '@/lib/core/env';
import { readTimeZone } from '@/lib/core/schedules/time-zone-setting';

/** The instance time zone for pages: the stored setting, else the TZ variable. */
export function instanceTimeZone(db: Db): Promise<string> {
  return readTimeZone(db, getEnv().timeZone);
}
