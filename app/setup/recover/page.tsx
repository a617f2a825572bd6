import { ShieldCheck } from 'lucide-react';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { FoundBackups } from '@/components/recovery/found-backups';
import { Alert } from '@/components/ui/alert';
import { listBackups } from '@/lib/core/backup/catalog';
import { isRecoveryPending } from '@/lib/core/recovery/recover-instance';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Recovery' };

/** Step two of "restore from backups": what the old server's target holds, and which to restore. */
export default async function RecoverPage() {
  await requirePageUser();
  const { db } = await getInstance();
  // The recovery ends with the restore of a system part: from then on this page has no job.
  // (recoverInstance sets an instance up only from a target holding a full-system backup.)
  if (!(await isRecoveryPending(db))) redirect('/');
  const [backups, timeZone] = await Promise.all([listBackups(db, { status: 'succeeded' }), instanceTimeZone(db)]);
  return (
    <main className="mx-auto grid w-full max-w-3xl gap-5 p-4 md:p-8">
      <div className="flex items-center gap-2 font-semibold">
        <ShieldCheck className="size-5 text-primary" aria-hidden /> Cloud OS Backups
      </div>
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Backups found</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          The passphrase opened {backups.length === 1 ? 'this backup' : `these ${backups.length} backups`} of your old server.
          Choose the one to bring it back from.
        </p>
      </div>
      <Alert tone="info">
        Your accounts come back with the system part of a full-system backup, so restore one of those; apps-only backups are
        listed too, and you can restore them after signing in with your old account.
      </Alert>
      <FoundBackups backups={backups} timeZone={timeZone} restorable={(b) => b.scope === 'full'} />
      <p className="text-sm text-muted-foreground">
        Want to look around first?{' '}
        <Link className="text-primary hover:underline" href="/">
          Open the dashboard
        </Link>
        ; a banner leads back here until the recovery is finished.
      </p>
    </main>
  );
}
