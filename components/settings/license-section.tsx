import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { LicenseStatus, LicenseView } from '@/lib/core/license/installed-license';
import { FEATURES, isKnownFeature } from '@/lib/core/license/plans';
import { LicenseForm } from './license-form';
import { RemoveLicenseButton } from './remove-license-button';

const DAY_MS = 86_400_000;

function StateBadge({ status }: { status: LicenseStatus }) {
  if (status.state === 'valid') return <Badge tone="success">{status.license.plan}</Badge>;
  if (status.state === 'expired') return <Badge tone="danger">expired</Badge>;
  if (status.state === 'invalid') return <Badge tone="danger">invalid</Badge>;
  return <Badge>Free</Badge>;
}

function expiryText(license: LicenseView, now: number): string {
  const days = Math.floor((new Date(license.expiresAt).getTime() - now) / DAY_MS);
  const date = license.expiresAt.slice(0, 10);
  if (days < 0) return `${date} (expired)`;
  return days === 0 ? `${date} (today)` : `${date} (in ${days} ${days === 1 ? 'day' : 'days'})`;
}

function LicenseDetails({ license, now }: { license: LicenseView; now: number }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" aria-label="License details">
      <dt className="text-muted-foreground">Licensee</dt>
      <dd>{license.licensee}</dd>
      <dt className="text-muted-foreground">Plan</dt>
      <dd>{license.plan}</dd>
      <dt className="text-muted-foreground">Features</dt>
      <dd>
        {license.features.length === 0 && <span className="text-muted-foreground">none</span>}
        <ul className="grid gap-0.5">
          {license.features.map((feature) => (
            <li key={feature}>
              {isKnownFeature(feature) ? FEATURES[feature].title : feature}{' '}
              <code className="text-xs text-muted-foreground">{feature}</code>
            </li>
          ))}
        </ul>
      </dd>
      <dt className="text-muted-foreground">Issued</dt>
      <dd>{license.issuedAt.slice(0, 10)}</dd>
      <dt className="text-muted-foreground">Expires</dt>
      <dd data-testid="license-expiry">{expiryText(license, now)}</dd>
    </dl>
  );
}

/** Settings → License: the installed license (or why it is not valid), paste a new one, remove it. */
export function LicenseSection({ status, now }: { status: LicenseStatus; now: number }) {
  return (
    <Card id="license" aria-labelledby="license-title">
      <CardHeader>
        <CardTitle id="license-title" className="flex items-center gap-2">
          License <StateBadge status={status} />
        </CardTitle>
        <CardDescription>
          Backups, restores, targets, schedules and API tokens are free. A Pro+ license adds backup verification: the integrity,
          size, dry-run restore and staleness checks, the health score and their API. Licenses are checked on this server,
          offline.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {status.state === 'none' && <p className="text-sm">No license is installed: the Free plan applies.</p>}
        {status.state === 'invalid' && <Alert tone="danger">The installed license is not valid: {status.message}</Alert>}
        {status.state === 'expired' && (
          <Alert tone="danger">{status.message} Its features are off until a renewed license is installed.</Alert>
        )}
        {(status.state === 'valid' || status.state === 'expired') && <LicenseDetails license={status.license} now={now} />}
        <LicenseForm replacing={status.state !== 'none'} />
        {status.state !== 'none' && <RemoveLicenseButton />}
      </CardContent>
    </Card>
  );
}
