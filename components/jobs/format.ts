export function formatDateTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const JOB_TYPE_LABELS: Record<string, string> = { selftest: 'Self-test', backup: 'Backup' };

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
