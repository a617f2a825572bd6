import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimNextJob } from '@/lib/core/jobs/claim-job';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { finishJob } from '@/lib/core/jobs/finish-job';
import { appendJobLog } from '@/lib/core/jobs/job-progress';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { streamJobEvents } from './job-event-stream';

let instance: TempInstance;
beforeEach(() => {
  instance = createTempInstance();
});
afterEach(() => instance.cleanup());

interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

async function readEvents(response: Response, until: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  const events: SseEvent[] = [];
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => /^(id|event|data):/.test(l))
          .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
    }
  }
  await reader.cancel();
  return events;
}

describe('streamJobEvents', () => {
  it('streams progress and log lines as they happen and ends with done', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const response = streamJobEvents(instance.db, job.id, { afterLogId: 0, signal: new AbortController().signal, pollMs: 20 });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const eventsPromise = readEvents(response, (events) => events.some((e) => e.event === 'done'));
    const claimed = await claimNextJob(instance.db, { workerId: 'host/1/a' });
    await appendJobLog(instance.db, job.id, 'first line');
    await instance.db.job.update({ where: { id: job.id }, data: { bytesDone: 5n, bytesTotal: 10n, updatedAt: new Date() } });
    await new Promise((r) => setTimeout(r, 100));
    await appendJobLog(instance.db, job.id, 'second line');
    await finishJob(instance.db, job.id, claimed?.leaseOwner ?? '', { status: 'succeeded' });
    const events = await eventsPromise;
    const logs = events.filter((e) => e.event === 'log');
    expect(logs.map((e) => (e.data as { message: string }).message)).toEqual(['first line', 'second line']);
    expect(logs.every((e) => e.id === String((e.data as { id: number }).id))).toBe(true);
    const percents = events.filter((e) => e.event === 'progress').map((e) => (e.data as { percent: number | null }).percent);
    expect(percents).toContain(50);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'succeeded', percent: 100 } });
  });

  it('resumes after Last-Event-ID without repeating log lines', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    for (const m of ['one', 'two', 'three']) await appendJobLog(instance.db, job.id, m);
    const [first] = await instance.db.jobLog.findMany({ orderBy: { id: 'asc' }, take: 1 });
    await instance.db.job.update({ where: { id: job.id }, data: { status: 'failed', finishedAt: new Date() } });
    const response = streamJobEvents(instance.db, job.id, {
      afterLogId: first?.id ?? 0,
      signal: new AbortController().signal,
      pollMs: 20,
    });
    const events = await readEvents(response, (e) => e.some((x) => x.event === 'done'));
    expect(events.filter((e) => e.event === 'log').map((e) => (e.data as { message: string }).message)).toEqual(['two', 'three']);
  });

  it('stops polling when the client goes away', async () => {
    const job = await enqueueJob(instance.db, 'selftest', {});
    const client = new AbortController();
    const response = streamJobEvents(instance.db, job.id, { afterLogId: 0, signal: client.signal, pollMs: 20 });
    const reader = response.body?.getReader();
    await reader?.read();
    client.abort();
    // The stream closes by itself although the job never ends.
    for (;;) {
      const { done } = (await reader?.read()) ?? { done: true };
      if (done) break;
    }
    expect((await instance.db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('queued');
  });
});
