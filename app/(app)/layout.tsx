import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { RecoveryBanner } from '@/components/shell/recovery-banner';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { isRecoveryPending } from '@/lib/core/recovery/recover-instance';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const { db } = await getInstance();
  return (
    <AppShell
      username={user.username}
      signOut={<SignOutButton />}
      banner={(await isRecoveryPending(db)) ? <RecoveryBanner /> : null}
    >
      {children}
    </AppShell>
  );
}
