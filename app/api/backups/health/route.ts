import { NextResponse } from 'next/server';
import { getEnv } from '@/lib/core/env';
import { getBackupHealth } from '@/lib/core/health/backup-health';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

/** The backup health summary and its 0–100 score (docs/VERIFICATION.md); not license-gated. */
export const GET = authedRoute(async () => {
  const { db } = await getInstance();
  const env = getEnv();
  return NextResponse.json(await getBackupHealth(db, { timeZone: env.timeZone, appsDir: env.appsDir }));
});
