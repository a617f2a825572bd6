import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { RecoverForm } from '@/components/auth/recover-form';
import { SetupForm } from '@/components/auth/setup-form';
import { SetupPaths } from '@/components/auth/setup-paths';
import { isRecoveryPending } from '@/lib/core/recovery/recover-instance';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { getInstance } from '@/lib/server/instance';
import { getSessionUser } from '@/lib/server/session';

export const metadata = { title: 'Set up' };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ from?: string | string[] }> }) {
  const { db } = await getInstance();
  // Once set up, the setup page is gone for good; a recovery under way continues where it is.
  if (await isInstanceInitialized(db))
    redirect((await isRecoveryPending(db)) && (await getSessionUser()) ? '/setup/recover' : '/login');
  const restoring = (await searchParams).from === 'backups';
  return (
    <AuthCard
      title="Welcome — set up Cloud OS Backups"
      description={
        restoring
          ? 'Bring back a server that was lost — its accounts, settings, targets and apps — from a target that holds its backups, with its backup passphrase.'
          : 'Create the admin account and the passphrase that protects your backups.'
      }
      wide
    >
      <SetupPaths current={restoring ? 'restore' : 'new'} />
      {restoring ? <RecoverForm /> : <SetupForm />}
    </AuthCard>
  );
}
