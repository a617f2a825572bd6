import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { requirePageUser } from '@/lib/server/session';

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <AppShell username={user.username} signOut={<SignOutButton />}>
      {children}
    </AppShell>
  );
}
