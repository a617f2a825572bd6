import { Badge } from '@/components/ui/badge';
import type { BackupStatus } from '@/lib/core/backup/catalog';

const TONES = { running: 'info', succeeded: 'success', failed: 'danger', cancelled: 'warning', deleting: 'neutral' } as const;

export function BackupStatusBadge({ status }: { status: BackupStatus }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
