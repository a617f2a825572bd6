// Run by local-target.test.ts in a child process under another uid (root ignores file modes,
// so a permission test must drop privileges). Prints what a LocalTarget reports for <dir>.
import { AppError } from '../../lib/core/errors';
import { LocalTarget } from '../../lib/core/storage/local-target';

const dir = process.argv[2] ?? '';
const target = new LocalTarget(dir);
const connection = await target.testConnection();
let put: { code: string; message: string } | null = null;
try {
  await target.put(
    'archives/probe.bin',
    (async function* () {
      yield Buffer.from('x');
    })(),
  );
} catch (error) {
  put =
    error instanceof AppError
      ? { code: error.code, message: error.message }
      : { code: 'not an AppError', message: String(error) };
}
process.stdout.write(JSON.stringify({ connection, put }));
