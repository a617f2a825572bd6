export function formatDateTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const JOB_TYPE_LABELS: Record<string, string> = {
  selftest: 'Self-test',
  backup: 'Backup',
  restore: 'Restore',
  verify: 'Verification',
};

export function formatJobType(type: string): string {
  return JOB_TYPE_LABELS[type] ?? type;
}

export { formatBytes } from '@/lib/core/util/format-bytes';

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "just now", "2 min ago", "3 h ago", "5 days ago": how long before `now` an ISO time was. */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** "in 5 min", "in 3 h", "in 2 days"; "now" once it is due: how long after `now` an ISO time is. */
export function formatIn(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (seconds < 60) return seconds <= 0 ? 'now' : 'in less than a minute';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.floor(hours / 24)} days`;
}
