import { Badge } from '@/components/ui/badge';
import type { JobStatus } from '@/lib/core/jobs/job-types';

const TONES = { queued: 'neutral', running: 'info', succeeded: 'success', failed: 'danger', cancelled: 'warning' } as const;

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
