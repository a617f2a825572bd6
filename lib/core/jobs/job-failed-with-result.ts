import { AppError, type AppErrorCode } from '../errors';

/**
 * A job that ran to its end but did not do what was asked (a restore with an app rolled back):
 * it is recorded as failed — so lists and badges say so — and keeps its result, so its page can
 * still show what happened to each part.
 */
export class JobFailedWithResult extends AppError {
  constructor(
    code: AppErrorCode,
    message: string,
    readonly result: unknown,
  ) {
    super(code, message);
  }
}
