import { NextResponse } from 'next/server';
import { z } from 'zod';
import { getEnv } from '@/lib/core/env';
import { AppError } from '@/lib/core/errors';
import { listJobs } from '@/lib/core/jobs/list-jobs';
import { requestJob } from '@/lib/core/jobs/request-job';
import { authedRoute, readJsonBody } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const GET = authedRoute(async ({ request }) => {
  const query = listQuery.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!query.success) throw new AppError('invalid_input', 'limit must be a whole number from 1 to 500.');
  const { db } = await getInstance();
  return NextResponse.json({ jobs: await listJobs(db, query.data) });
});

const enqueueBody = z.object({ type: z.string().min(1), payload: z.unknown().optional() });

export const POST = authedRoute(async ({ request, auth }) => {
  const body = enqueueBody.safeParse(await readJsonBody(request));
  if (!body.success) throw new AppError('invalid_input', 'Expected {"type": string, "payload"?: object}.');
  const { db } = await getInstance();
  const job = await requestJob(db, getEnv(), body.data.type, body.data.payload, auth.actor);
  return NextResponse.json({ job }, { status: 202 });
});
