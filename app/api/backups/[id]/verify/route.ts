import { NextResponse } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/core/errors';
import { requireFeature } from '@/lib/core/license/require-feature';
import { checkNameSchema } from '@/lib/core/verification/checks';
import { startVerification } from '@/lib/core/verification/start-verification';
import { authedRoute } from '@/lib/server/api-route';
import { backupFromPath } from '@/lib/server/backup-route-params';
import { getInstance } from '@/lib/server/instance';

export const dynamic = 'force-dynamic';

const verifyBody = z.object({ dryRun: z.boolean().optional(), checks: z.array(checkNameSchema).min(1).optional() }).strict();

/** An empty body means the defaults; anything else must be the JSON object above. */
async function readVerifyBody(request: Request) {
  const text = await request.text();
  if (text.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'The request body must be JSON: {"dryRun"?: boolean, "checks"?: [...]}.');
  }
  const body = verifyBody.safeParse(json);
  if (!body.success)
    throw new AppError(
      'invalid_input',
      `Expected {"dryRun"?: boolean, "checks"?: ["size" | "integrity" | "dry-run" | "staleness", …]}: ${body.error.issues
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}.`,
    );
  return body.data;
}

/** Starts a verification of a backup (docs/API.md): 202 {jobId, verificationId}. Pro+ only. */
export const POST = authedRoute<{ id: string }>(async ({ request, params, auth }) => {
  const { db } = await getInstance();
  // The license first: an unlicensed caller learns nothing else (402 whatever the body).
  await requireFeature(db, 'backup_verification');
  const body = await readVerifyBody(request);
  const backup = await backupFromPath(db, params.id);
  const started = await startVerification(db, backup.id, { ...body, createdBy: auth.actor });
  return NextResponse.json(
    { backupId: backup.id, ...started },
    { status: 202, headers: { Location: `/api/backups/${backup.id}/verify/status` } },
  );
});
