'use client';
import { TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';

const RECOVERY_FINISHED = 'cloudos:recovery-finished';

/**
 * Said by the page that saw a recovery's system part restored: the layout that shows the
 * banner is not rendered again (the session it would need has ended), so it is told here.
 */
export function announceRecoveryFinished(): void {
  window.dispatchEvent(new Event(RECOVERY_FINISHED));
}

/** Shown on every signed-in page while a recovery from backups waits for its system restore. */
export function RecoveryBanner() {
  const [finished, setFinished] = useState(false);
  useEffect(() => {
    const onFinished = () => setFinished(true);
    window.addEventListener(RECOVERY_FINISHED, onFinished);
    return () => window.removeEventListener(RECOVERY_FINISHED, onFinished);
  }, []);
  if (finished) return null;
  return (
    <div role="status" className="mb-6 flex items-start gap-2 rounded-md border border-warning/50 bg-warning/10 p-3 text-sm">
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <Link className="font-medium underline-offset-4 hover:underline" href="/setup/recover">
        Finish the recovery: restore a full-system backup
      </Link>
    </div>
  );
}
