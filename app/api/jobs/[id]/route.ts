import { NextResponse } from 'next/server';
import { getJob } from '@/lib/core/jobs/list-jobs';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

export const GET = authedRoute<{ id: string }>(async ({ params }) => {
  const { db } = await getInstance();
  return NextResponse.json({ job: await getJob(db, params.id) });
});
