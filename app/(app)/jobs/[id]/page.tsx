import Link from 'next/link';
import { notFound } from 'next/navigation';
import { JobLive } from '@/components/jobs/job-live';
import { PageHeader } from '@/components/shell/page-header';
import { isAppError } from '@/lib/core/errors';
import { getJob } from '@/lib/core/jobs/list-jobs';
import { isRecoveryPending } from '@/lib/core/recovery/recover-instance';
import { getVerificationForJob } from '@/lib/core/verification/verification-lookups';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Job' };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser();
  const { id } = await params;
  const { db } = await getInstance();
  const job = await getJob(db, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const verification = job.type === 'verify' ? await getVerificationForJob(db, job.id) : null;
  // A restore during a recovery from backups: its end is told as the recovery's.
  const recovery = job.type === 'restore' && (await isRecoveryPending(db));
  return (
    <>
      <PageHeader
        title="Job"
        description={`Job ${job.id}`}
        actions={
          <Link className="text-sm text-primary hover:underline" href="/jobs">
            All jobs
          </Link>
        }
      />
      <JobLive initial={job} verification={verification} recovery={recovery} />
    </>
  );
}
