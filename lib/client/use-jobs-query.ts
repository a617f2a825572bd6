'use client';
import { useQuery } from '@tanstack/react-query';
import type { JobView } from '@/lib/core/jobs/job-types';
import { fetchJson } from './fetch-json';

export const jobsQueryKey = ['jobs'] as const;

/** Recent jobs, refreshed every few seconds while the page is open. */
export function useJobsQuery(limit = 50) {
  return useQuery({
    queryKey: [...jobsQueryKey, limit],
    queryFn: () => fetchJson<{ jobs: JobView[] }>(`/api/jobs?limit=${limit}`).then((r) => r.jobs),
    refetchInterval: 3_000,
  });
}
