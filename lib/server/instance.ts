import 'server-only';
import { type PreparedInstance, prepareInstance } from '@/lib/core/instance/prepare-instance';

/** The prepared instance (migrations applied, instance key loaded) for request handlers. */
export function getInstance(): Promise<PreparedInstance> {
  return prepareInstance();
}
