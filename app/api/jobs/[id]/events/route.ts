import { getJob } from '@/lib/core/jobs/list-jobs';
import { authedRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';
import { streamJobEvents } from '@/lib/server/job-event-stream';

export const dynamic = 'force-dynamic';

/** Server-sent events for one job: `progress`, `log` (id = log line id) and a final `done`. */
export const GET = authedRoute<{ id: string }>(async ({ request, params }) => {
  const { db } = await getInstance();
  await getJob(db, params.id); // 404 before opening a stream for a job that does not exist
  const lastEventId = Number(request.headers.get('last-event-id') ?? request.nextUrl.searchParams.get('lastEventId') ?? 0);
  return streamJobEvents(db, params.id, {
    afterLogId: Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0,
    signal: request.signal,
  });
});
