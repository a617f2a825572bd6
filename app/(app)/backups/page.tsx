import { Archive, Calendar, Play } from 'lucide-react';
import Link from 'next/link';
import { BackupsTable } from '@/components/backups/backups-table';
import { EmptyState } from '@/components/shell/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { buttonVariants } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { listBackups } from '@/lib/core/backup/catalog';
import { listTargets } from '@/lib/core/targets/targets';
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
        <BackupsTable backups={backups} now={Date.now()} />
      )}
    </>
  );
}
