import { NextResponse } from 'next/server';
import { getEnv } from '@/lib/core/env';
import { getBackupHealth } from '@/lib/core/health/backup-health';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';

export const dynamic = 'force-dynamic';

/** The backup health summary and its 0–100 score (docs/VERIFICATION.md); not license-gated. */
export const GET = authedRoute(async () => {
  const { db } = await getInstance();
  return NextResponse.json(await getBackupHealth(db, { timeZone: await instanceTimeZone(db), appsDir: getEnv().appsDir }));
});
