import { NextResponse } from 'next/server';
import { z } from 'zod';
import { listBackups } from '@/lib/core/backup/catalog';
import { AppError } from '@/lib/core/errors';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'deleting']).optional(),
    target: z.string().min(1).optional(),
  })
  .strict();

/** The backup catalog, newest first (`?limit=&status=&target=`). */
export const GET = authedRoute(async ({ request }) => {
  const query = listQuery.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!query.success)
    throw new AppError(
      'invalid_input',
      'Query: limit 1–1000, status running|succeeded|failed|cancelled|deleting, target a target name; nothing else.',
    );
  const { db } = await getInstance();
  const { limit, status, target } = query.data;
  return NextResponse.json({ backups: await listBackups(db, { limit, status, targetName: target }) });
});
