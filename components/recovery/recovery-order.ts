import type { BackupView } from '@/lib/core/backup/catalog';

/** Full-system backups first (only they bring the accounts back), each group newest first. */
export function orderForRecovery(backups: BackupView[]): BackupView[] {
  const made = (b: BackupView) => b.finishedAt ?? b.startedAt;
  return [...backups].sort((a, b) => (a.scope !== b.scope ? (a.scope === 'full' ? -1 : 1) : made(b).localeCompare(made(a))));
}
