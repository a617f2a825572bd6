import { NextResponse } from 'next/server';
import { cancelJob } from '@/lib/core/jobs/cancel-job';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

export const POST = authedRoute<{ id: string }>(async ({ params }) => {
  const { db } = await getInstance();
  return NextResponse.json({ job: await cancelJob(db, params.id) }, { status: 202 });
});
