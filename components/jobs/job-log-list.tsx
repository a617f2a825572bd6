import type { JobLogView } from '@/lib/core/jobs/job-types';

/** A job's log lines, warnings and errors coloured; times in the viewer's locale. */
export function JobLogList({ logs, emptyText }: { logs: JobLogView[]; emptyText: string }) {
  if (logs.length === 0) return <p className="text-sm text-muted-foreground">{emptyText}</p>;
  return (
    <ol className="max-h-96 overflow-y-auto font-mono text-xs wrap-anywhere" aria-label="Job log">
      {logs.map((line) => (
        <li key={line.id} className={line.level === 'error' ? 'text-destructive' : line.level === 'warn' ? 'text-warning' : ''}>
          <time className="text-muted-foreground">{new Date(line.createdAt).toLocaleTimeString()}</time> {line.message}
        </li>
      ))}
    </ol>
  );
}
