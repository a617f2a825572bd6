import { NextResponse } from 'next/server';
import { requireFeature } from '@/lib/core/license/require-feature';
import { getLatestVerification } from '@/lib/core/verification/verifications';
import { authedRoute } from '@/lib/server/api-route';
import { backupFromPath } from '@/lib/server/backup-route-params';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

/**
 * The latest verification of a backup: its state, checks and timestamps. A backup never
 * verified this way answers state "none" in the same shape, so a polling script reads one
 * shape. Pro+ only, like starting one.
 */
export const GET = authedRoute<{ id: string }>(async ({ params }) => {
  const { db } = await getInstance();
  await requireFeature(db, 'backup_verification');
  const backup = await backupFromPath(db, params.id);
  const latest = await getLatestVerification(db, backup.id);
  return NextResponse.json(
    latest ?? {
      id: null,
      backupId: backup.id,
      jobId: null,
      state: 'none',
      requestedChecks: [],
      dryRun: false,
      checks: [],
      message: 'This backup has not been verified with checks yet.',
      progress: null,
      createdBy: null,
      createdAt: null,
      startedAt: null,
      finishedAt: null,
    },
  );
});
