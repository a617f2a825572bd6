import { Badge } from '@/components/ui/badge';
import type { ScheduleHistoryEntry } from '@/lib/core/schedules/schedule-overview';

const TONES = {
  missed: 'warning',
  skipped: 'warning',
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
} as const;

/** The outcome of one fire or run now: missed / skipped (nothing ran) or the status of the backup it queued. */
export function RunOutcomeBadge({ status }: { status: ScheduleHistoryEntry['status'] }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
