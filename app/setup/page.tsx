import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { SetupForm } from '@/components/auth/setup-form';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { getInstance } from '@/lib/server/instance';

export const metadata = { title: 'Set up' };

export default async function SetupPage() {
  const { db } = await getInstance();
  // Once an admin exists the setup page is gone for good.
  if (await isInstanceInitialized(db)) redirect('/login');
  return (
    <AuthCard
      title="Welcome — set up Cloud OS Backups"
      description="Create the admin account and the passphrase that protects your backups."
    >
      <SetupForm />
    </AuthCard>
  );
}
