import { describe, expect, it } from 'vitest';
import type { BackupView } from '@/lib/core/backup/catalog';
import { orderForRecovery } from './recovery-order';

const backup = (id: string, scope: 'full' | 'apps', finishedAt: string) =>
  ({ id, scope, startedAt: finishedAt, finishedAt }) as BackupView;

describe('orderForRecovery', () => {
  it('lists full-system backups first, each group newest first', () => {
    const ordered = orderForRecovery([
      backup('apps-old', 'apps', '2025-01-01T00:00:00.000Z'),
      backup('full-old', 'full', '2025-01-02T00:00:00.000Z'),
      backup('apps-new', 'apps', '2025-03-01T00:00:00.000Z'),
      backup('full-new', 'full', '2025-02-01T00:00:00.000Z'),
    ]);
    expect(ordered.map((b) => b.id)).toEqual(['full-new', 'full-old', 'apps-new', 'apps-old']);
  });
});
