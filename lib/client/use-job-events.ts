'use client';
import { useEffect, useState } from 'react';
import type { JobLogView, JobView } from '@/lib/core/jobs/job-types';

export interface JobEventsState {
  job: JobView | null;
  logs: JobLogView[];
  connected: boolean;
  done: boolean;
}

/**
 * Follows a job through its SSE stream. EventSource reconnects by itself and sends
 * Last-Event-ID, so log lines are neither lost nor repeated across reconnects.
 */
export function useJobEvents(jobId: string, initial: JobView | null): JobEventsState {
  const [state, setState] = useState<JobEventsState>({ job: initial, logs: [], connected: false, done: false });
  useEffect(() => {
    const source = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events`);
    source.onopen = () => setState((s) => ({ ...s, connected: true }));
    source.addEventListener('progress', (e) => {
      const job = JSON.parse((e as MessageEvent).data) as JobView;
      setState((s) => ({ ...s, job }));
    });
    source.addEventListener('log', (e) => {
      const line = JSON.parse((e as MessageEvent).data) as JobLogView;
      setState((s) => (s.logs.some((l) => l.id === line.id) ? s : { ...s, logs: [...s.logs, line] }));
    });
    source.addEventListener('done', (e) => {
      const job = JSON.parse((e as MessageEvent).data) as JobView;
      setState((s) => ({ ...s, job, done: true, connected: false }));
      source.close();
    });
    source.onerror = () => setState((s) => ({ ...s, connected: false }));
    return () => source.close();
  }, [jobId]);
  return state;
}
