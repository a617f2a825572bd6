/**
 * Plans and licensed features (docs/LICENSE.md). The product decides by the features a
 * license lists, never by its plan's name: a plan is the label a buyer sees and the default
 * feature set the vendor's issue script puts into a license.
 */

export const PLANS = ['Free', 'Pro', 'Pro+'] as const;
export type Plan = (typeof PLANS)[number];

/** A feature a license can grant, the lowest plan that includes it, and what it unlocks. */
export interface FeatureInfo {
  plan: Plan;
  title: string;
  description: string;
}

export const FEATURES = {
  priority_support: {
    plan: 'Pro',
    title: 'Priority support',
    description: 'Answers from the vendor within one business day. A service, it unlocks nothing in the product.',
  },
  backup_verification: {
    plan: 'Pro+',
    title: 'Backup verification',
    description:
      'Verification checks (integrity, size, dry-run restore, staleness) from the UI, the REST API and the CLI. The checksum check before every restore, the Verify button and the health summary stay free.',
  },
} as const satisfies Record<string, FeatureInfo>;

export type Feature = keyof typeof FEATURES;

/** What each plan includes by default. Free needs no license at all. */
export const PLAN_FEATURES: Record<Plan, readonly Feature[]> = {
  Free: [],
  Pro: ['priority_support'],
  'Pro+': ['priority_support', 'backup_verification'],
};

export function isKnownFeature(name: string): name is Feature {
  return Object.hasOwn(FEATURES, name);
}

export function isPlan(name: string): name is Plan {
  return (PLANS as readonly string[]).includes(name);
}
