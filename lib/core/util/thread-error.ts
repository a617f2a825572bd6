/**
 * A file system error as it crosses from a worker thread (errors do not survive
 * postMessage with their code): the worker sends `DESCRIBE_ERROR_SOURCE`'s plain object, the
 * main thread turns it back into an Error with the same message, code, syscall and path, so
 * callers (and translators such as translateLocalError) see what a synchronous call would
 * have thrown.
 */
export interface DescribedError {
  message: string;
  code?: string;
  syscall?: string;
  path?: string;
}

export function errorFromThread(described: DescribedError): NodeJS.ErrnoException {
  return Object.assign(new Error(described.message), {
    code: described.code,
    syscall: described.syscall,
    path: described.path,
  });
}

/** The worker side, spliced into a worker's evaluated source: defines `describeError`. */
export const DESCRIBE_ERROR_SOURCE = `
const describeError = (error) => ({
  message: String(error && error.message),
  code: error && error.code,
  syscall: error && error.syscall,
  path: error && error.path,
});
`;
