'use client';
import { FlaskConical } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { toast } from 'sonner';
import { startSelftestAction } from '@/app/(app)/jobs/actions';
import { Button } from '@/components/ui/button';

export function StartSelftestButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await startSelftestAction();
          if (!result.ok) {
            toast.error(result.error);
            return;
          }
          router.push(`/jobs/${result.data.jobId}`);
        })
      }
    >
      <FlaskConical /> {pending ? 'Starting…' : 'Run self-test'}
    </Button>
  );
}
