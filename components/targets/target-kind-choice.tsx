'use client';
import type { TargetKind } from '@/lib/core/targets/target-input';

export const TARGET_KINDS: { kind: TargetKind; label: string }[] = [
  { kind: 'local', label: 'Local directory' },
  { kind: 's3', label: 'S3-compatible storage' },
  { kind: 'sftp', label: 'SFTP server' },
];

/** The "Type" radio group of a target form; its value is sent as the `kind` field. */
export function TargetKindChoice({ kind, onChange }: { kind: TargetKind; onChange: (kind: TargetKind) => void }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">Type</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-2">
        {TARGET_KINDS.map((k) => (
          <label key={k.kind} className="flex items-center gap-2 text-sm">
            <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => onChange(k.kind)} />
            {k.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
