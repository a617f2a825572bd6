'use client';
import { useEffect, useState } from 'react';
import type { JobLogView, JobView } from '@/lib/core/jobs/job-types';

export interface JobEventsState {
  job: JobView | null;
  logs: JobLogView[];
  connected: boolean;
  done: boolean;
  /**
   * Why the stream stopped for good before `done`: the server refused to reopen it, because
   * the session ended (`signed-out` — a restore of the system part ends every session) or for
   * another reason (`refused`). Null while the stream runs or reconnects.
   */
  lost: 'signed-out' | 'refused' | null;
}

/**
 * Follows a job through its SSE stream. EventSource reconnects by itself and sends
 * Last-Event-ID, so log lines are neither lost nor repeated across reconnects. A reconnect
 * the server answers with an error status is not retried by the browser: the hook then asks
 * once why (a plain fetch, which does not send the page to sign-in), and reports it in `lost`
 * instead of leaving the job looking stuck.
 */
export function useJobEvents(jobId: string, initial: JobView | null): JobEventsState {
  const [state, setState] = useState<JobEventsState>({ job: initial, logs: [], connected: false, done: false, lost: null });
  useEffect(() => {
    let active = true;
    const url = `/api/jobs/${encodeURIComponent(jobId)}`;
    const source = new EventSource(`${url}/events`);
    source.onopen = () => setState((s) => ({ ...s, connected: true, lost: null }));
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
    source.onerror = () => {
      setState((s) => ({ ...s, connected: false }));
      if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
      fetch(url, { headers: { Accept: 'application/json' } })
        .then((response) => (response.status === 401 ? 'signed-out' : 'refused'))
        .catch(() => 'refused' as const)
        .then((lost) => {
          if (active) setState((s) => (s.done ? s : { ...s, lost }));
        });
    };
    return () => {
      active = false;
      source.close();
    };
  }, [jobId]);
  return state;
}
