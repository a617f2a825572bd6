'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { startVerifyAction } from '@/app/(app)/backups/actions';
import { Button } from '@/components/ui/button';

/** Queues a verify job for the backup and follows it on the job page. */
export function VerifyButton({ backupId, size = 'sm' }: { backupId: string; size?: 'sm' | 'default' }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  function verify() {
    startTransition(async () => {
      const result = await startVerifyAction({ backupId });
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      router.push(`/jobs/${result.data.jobId}`);
    });
  }
  return (
    <Button type="button" variant="outline" size={size} onClick={verify} disabled={pending}>
      {pending ? 'Starting…' : 'Verify'}
    </Button>
  );
}
