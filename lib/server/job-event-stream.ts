import 'server-only';
import type { Db } from '@/lib/core/db/client';
import { isTerminalStatus } from '@/lib/core/jobs/job-types';
import { getJob, listJobLogs } from '@/lib/core/jobs/list-jobs';
import { sleep } from '@/lib/core/util/sleep';
import { formatSseEvent, SSE_HEADERS } from './sse';

export interface JobStreamOptions {
  afterLogId: number;
  signal: AbortSignal;
  pollMs?: number;
  keepAliveMs?: number;
}

/**
 * Follows a job by polling its row and log lines (the worker is another process; the database
 * is the only channel). Sends `progress` whenever the row changed, each new log line as `log`
 * with its id (so EventSource resumes through Last-Event-ID), and `done` once the job ended.
 * Stops when the client goes away.
 */
export function streamJobEvents(db: Db, jobId: string, options: JobStreamOptions): Response {
  const pollMs = options.pollMs ?? 400;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const stop = new AbortController();
  options.signal.addEventListener('abort', () => stop.abort(), { once: true });
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      let lastLogId = options.afterLogId;
      let lastUpdatedAt = '';
      let lastSentAt = Date.now();
      send(`retry: 2000\n\n`);
      try {
        while (!stop.signal.aborted) {
          const job = await getJob(db, jobId);
          const ended = isTerminalStatus(job.status);
          for (const line of await listJobLogs(db, jobId, lastLogId)) {
            send(formatSseEvent('log', line, line.id));
            lastLogId = line.id;
            lastSentAt = Date.now();
          }
          if (job.updatedAt !== lastUpdatedAt) {
            send(formatSseEvent('progress', job));
            lastUpdatedAt = job.updatedAt;
            lastSentAt = Date.now();
          }
          if (ended) {
            send(formatSseEvent('done', job));
            break;
          }
          if (Date.now() - lastSentAt >= keepAliveMs) {
            send(': keep-alive\n\n');
            lastSentAt = Date.now();
          }
          await sleep(pollMs, stop.signal).catch(() => {});
        }
      } catch (error) {
        if (!stop.signal.aborted) send(formatSseEvent('error', { message: (error as Error).message }));
      } finally {
        try {
          controller.close();
        } catch {
          // Already closed because the client left.
        }
      }
    },
    cancel() {
      stop.abort();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
