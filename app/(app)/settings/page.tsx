import Link from 'next/link';
import { ApiTokensSection } from '@/components/settings/api-tokens-section';
import { LicenseSection } from '@/components/settings/license-section';
import { PageHeader } from '@/components/shell/page-header';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { ThemeToggle } from '@/components/shell/theme-toggle';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { listApiTokens } from '@/lib/core/api-tokens/api-tokens';
import { getEnv } from '@/lib/core/env';
import { getLicenseStatus } from '@/lib/core/license/installed-license';
import { getSetting, SettingKey } from '@/lib/core/settings/settings';
import { getInstance } from '@/lib/server/instance';
import { instanceTimeZone } from '@/lib/server/instance-time-zone';
import { requirePageUser } from '@/lib/server/session';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requirePageUser();
  const { db } = await getInstance();
  const passphraseSet = (await getSetting(db, SettingKey.backupPassphrase)) !== null;
  const env = getEnv();
  const [license, tokens] = await Promise.all([getLicenseStatus(db), listApiTokens(db)]);
  // One clock for the render, so server HTML and hydration agree on "2 min ago".
  const now = Date.now();
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Account</CardTitle>
            <CardDescription>Signed in as {user.username}.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-wrap items-center gap-2">
            <span className="text-sm">Theme</span> <ThemeToggle />
            <div className="ml-auto">
              <SignOutButton />
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              Backup encryption passphrase{' '}
              <Badge tone={passphraseSet ? 'success' : 'danger'}>{passphraseSet ? 'set' : 'missing'}</Badge>
            </CardTitle>
            <CardDescription>
              Every backup is encrypted with a key protected by this passphrase. It is stored encrypted with this server's
              instance key and is never shown again. Keep your own copy: it is all a new server needs to restore everything from a
              target (docs/DISASTER-RECOVERY.md). After a change (<code>cloudos-backup passphrase change</code>) the new
              passphrase opens every backup, the older ones too; an older passphrase still opens the backups made while it was
              set.
            </CardDescription>
          </CardHeader>
        </Card>
        <LicenseSection status={license} now={now} />
        <ApiTokensSection tokens={tokens} now={now} />
        <Card>
          <CardHeader>
            <CardTitle>Instance</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">Data directory</dt>
              <dd className="break-all font-mono text-xs">{env.dataDir}</dd>
              <dt className="text-muted-foreground">Apps directory</dt>
              <dd className="break-all font-mono text-xs">{env.appsDir}</dd>
              <dt className="text-muted-foreground">Time zone</dt>
              <dd>
                {await instanceTimeZone(db)}{' '}
                <Link className="text-primary hover:underline" href="/schedules">
                  (change it with the schedule settings)
                </Link>
              </dd>
            </dl>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
