import { z } from 'zod';
import type { Db } from '../db/client';

/**
 * How an app is backed up: `stop` stops its running containers while its own volumes are
 * archived (consistent files for databases), `live` archives while it runs.
 */
export const consistencyModes = z.enum(['stop', 'live']);
export type ConsistencyMode = z.infer<typeof consistencyModes>;

const keyOf = (appId: string) => `app.${appId}.consistency`;

/** The mode the user chose for each app, if any (absent = the inventory's default). */
export async function getConsistencyOverrides(db: Db): Promise<Map<string, ConsistencyMode>> {
  const rows = await db.setting.findMany({ where: { key: { startsWith: 'app.', endsWith: '.consistency' } } });
  const modes = new Map<string, ConsistencyMode>();
  for (const row of rows) {
    const mode = consistencyModes.safeParse(row.value);
    if (mode.success) modes.set(row.key.slice('app.'.length, -'.consistency'.length), mode.data);
  }
  return modes;
}

export async function setConsistencyMode(db: Db, appId: string, mode: ConsistencyMode): Promise<void> {
  const value = consistencyModes.parse(mode);
  await db.setting.upsert({ where: { key: keyOf(appId) }, create: { key: keyOf(appId), value }, update: { value } });
}
