import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { FEATURES, type Feature } from '@/lib/core/license/plans';
import type { FeatureCheck } from '@/lib/core/license/require-feature';

/** Whether a licensed feature may be used here, the plan that includes it, and if not why. */
export type FeatureAccess = { licensed: true; plan: string } | { licensed: false; plan: string; reason: string };

/** What of checkFeature's verdict a page passes to the browser (not the license itself). */
export function toFeatureAccess(feature: Feature, check: FeatureCheck): FeatureAccess {
  const { plan } = FEATURES[feature];
  return check.licensed ? { licensed: true, plan } : { licensed: false, plan, reason: check.message };
}

/**
 * Explains what a licensed feature needs instead of failing silently: "Backup verification
 * checks need a Pro+ license — Settings → License", then why (no license, expired, …).
 */
export function LicenseNeeded({ title, reason }: { title: string; reason: string }) {
  return (
    <Alert tone="warning" data-testid="license-needed">
      <p className="font-medium">
        {title} —{' '}
        <Link className="text-primary underline-offset-4 hover:underline" href="/settings#license">
          Settings → License
        </Link>
      </p>
      <p className="mt-1 text-muted-foreground">{reason}</p>
    </Alert>
  );
}
