'use client';
import { ListChecks } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/shell/empty-state';
import { Alert } from '@/components/ui/alert';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useJobsQuery } from '@/lib/client/use-jobs-query';
import { formatDateTime, formatJobType } from './format';
import { JobStatusBadge } from './job-status-badge';

export function JobsTable() {
  const { data: jobs, error, isPending } = useJobsQuery();
  if (isPending) return <p className="text-sm text-muted-foreground">Loading jobs…</p>;
  if (error) return <Alert tone="danger">Could not load jobs: {error.message}</Alert>;
  if (jobs.length === 0) {
    return (
      <EmptyState icon={ListChecks} title="No jobs yet">
        Every backup, restore and check runs as a job and appears here. Run a self-test to see the worker in action.
      </EmptyState>
    );
  }
  return (
    <Table aria-label="Recent jobs">
      <TableHeader>
        <TableRow>
          <TableHead>Job</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Progress</TableHead>
          <TableHead>Started by</TableHead>
          <TableHead>Created</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.map((job) => (
          <TableRow key={job.id}>
            <TableCell>
              <Link className="font-medium text-primary hover:underline" href={`/jobs/${job.id}`}>
                {formatJobType(job.type)}
              </Link>
            </TableCell>
            <TableCell>
              <JobStatusBadge status={job.status} />
            </TableCell>
            <TableCell>{job.percent === null ? '—' : `${job.percent} %`}</TableCell>
            <TableCell>{job.createdBy ?? '—'}</TableCell>
            <TableCell>{formatDateTime(job.createdAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
