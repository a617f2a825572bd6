import { NextResponse } from 'next/server';
import { authedRoute } from '@/lib/server/api-route';
import { backupFromPath } from '@/lib/server/backup-route-params';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

/** One backup of the catalog with its contents (apps, volumes, counts) and last verify result. */
export const GET = authedRoute<{ id: string }>(async ({ params }) => {
  const { db } = await getInstance();
  return NextResponse.json({ backup: await backupFromPath(db, params.id) });
});
