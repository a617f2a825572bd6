import { describe, expect, it } from 'vitest';
import { RECOVERY_PASSPHRASE_FIELD, recoveryFormToInput } from './recovery-form-data';

describe('recoveryFormToInput', () => {
  it('keeps the passphrase out of the target and as typed', () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ kind: 'local', name: 'NAS', path: '/mnt/nas', [RECOVERY_PASSPHRASE_FIELD]: ' pass ' }))
      form.append(k, v);
    expect(recoveryFormToInput(form)).toEqual({ target: { kind: 'local', name: 'NAS', path: '/mnt/nas' }, passphrase: ' pass ' });
  });

  it('leaves a missing passphrase undefined for the core to refuse', () => {
    const form = new FormData();
    form.append('kind', 'local');
    expect(recoveryFormToInput(form).passphrase).toBeUndefined();
  });
});
