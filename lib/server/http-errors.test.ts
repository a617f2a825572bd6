import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { statusForCode, toErrorResponse } from './http-errors';

describe('toErrorResponse', () => {
  it('answers feature_not_licensed with 402 and the feature and plan beside code and message', async () => {
    const error = new AppError('feature_not_licensed', 'Backup verification needs a Pro+ license.', {
      details: { feature: 'backup_verification', plan: 'Pro+' },
    });
    const response = toErrorResponse(error);
    expect(statusForCode('feature_not_licensed')).toBe(402);
    expect(response.status).toBe(402);
    expect(await response.json()).toEqual({
      error: {
        code: 'feature_not_licensed',
        message: 'Backup verification needs a Pro+ license.',
        feature: 'backup_verification',
        plan: 'Pro+',
      },
    });
  });

  it('never lets details replace the code or the message, and sends none when there are none', async () => {
    const sneaky = new AppError('not_found', 'No such backup.', { details: { code: 'ok', message: 'fine' } });
    expect(await toErrorResponse(sneaky).json()).toEqual({ error: { code: 'not_found', message: 'No such backup.' } });
    const plain = toErrorResponse(new AppError('unauthenticated', 'Sign in first.'));
    expect([plain.status, await plain.json()]).toEqual([401, { error: { code: 'unauthenticated', message: 'Sign in first.' } }]);
  });
});
