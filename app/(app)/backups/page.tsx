import { Archive, Calendar, Play } from 'lucide-react';
import Link from 'next/link';
import { BackupsTable } from '@/components/backups/backups-table';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { RefreshWhile } from '@/components/shell/refresh-while';
import { buttonVariants } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { toFeatureAccess } from '@/components/verification/license-needed';
import { listBackups } from '@/lib/core/backup/catalog';
import { checkFeature } from '@/lib/core/license/require-feature';
import { listTargets } from '@/lib/core/targets/targets';
import { latestVerificationsOf } from '@/lib/core/verification/verification-lookups';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Backups' };

export default async function BackupsPage({ searchParams }: { searchParams: Promise<{ target?: string | string[] }> }) {
  await requirePageUser();
  const { db } = await getInstance();
  const targets = await listTargets(db);
  const wanted = (await searchParams).target;
  // Only a target that exists filters; anything else in the address shows every backup.
  const filter = typeof wanted === 'string' && targets.some((t) => t.name === wanted) ? wanted : undefined;
  const backups = await listBackups(db, { targetName: filter });
  const [verifications, license] = await Promise.all([
    latestVerificationsOf(
      db,
      backups.map((b) => b.id),
    ),
    checkFeature(db, 'backup_verification'),
  ]);
  const verifying = [...verifications.values()].some((v) => v.state === 'queued' || v.state === 'running');
  const filterLink = (name: string | undefined, label: string) => (
    <Link
      key={label}
      href={name ? `/backups?target=${encodeURIComponent(name)}` : '/backups'}
      aria-current={filter === name ? 'page' : undefined}
      className={cn(buttonVariants({ size: 'sm', variant: filter === name ? 'default' : 'outline' }))}
    >
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Backups"
        description="Every backup this instance took, newest first."
        actions={
          <>
            <Link className={buttonVariants({ variant: 'outline' })} href="/schedules">
              <Calendar /> Schedules
            </Link>
            <Link className={buttonVariants()} href="/backups/new">
              <Play /> Backup now
            </Link>
          </>
        }
      />
      {targets.length > 1 && (
        <nav aria-label="Filter by target" className="mb-4 flex flex-wrap gap-2">
          {filterLink(undefined, 'All targets')}
          {targets.map((t) => filterLink(t.name, t.name))}
        </nav>
      )}
      {backups.length === 0 ? (
        <EmptyState icon={Archive} title={filter ? `No backups on ${filter}` : 'No backups yet'}>
          Start one with “Backup now”: the full system or chosen apps, to any of your targets. Each backup is listed here with its
          size, checksum and status.
        </EmptyState>
      ) : (
        <>
          <BackupsTable
            backups={backups}
            now={Date.now()}
            verifications={verifications}
            checksAccess={toFeatureAccess('backup_verification', license)}
          />
          {/* Follows running verifications, so their rows change state without a reload. */}
          <RefreshWhile active={verifying} />
        </>
      )}
    </>
  );
}
