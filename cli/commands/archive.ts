import { parseArgs } from 'node:util';
import { createArchiveFile, extractArchiveFile, verifyArchiveFile } from '../../lib/core/archive/archive-file';
import { createKeyFile, generateMasterKey } from '../../lib/core/crypto/key-file';
import { AppError } from '../../lib/core/errors';
import { readKeyFiles } from '../../lib/core/keys/read-key-files';
import { MIN_PASSPHRASE_LENGTH } from '../../lib/core/setup/passphrase-rules';
import { UsageError } from '../cli-error';
import { printJson, printLine } from '../output';
import { readSecretFile } from '../read-secret';

const OPTIONS = {
  source: { type: 'string' },
  out: { type: 'string' },
  dest: { type: 'string' },
  'passphrase-file': { type: 'string' },
  'key-file': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

/** Peak resident memory of this process so far (benchmarks and the memory test read it). */
function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function mbPerSecond(bytes: number, seconds: number): string {
  return `${(bytes / 1e6 / Math.max(seconds, 1e-9)).toFixed(0)} MB/s`;
}

export async function runArchive(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  const passphrase = () => readSecretFile(required(values['passphrase-file'], '--passphrase-file'), 'passphrase');
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (sub === 'create') {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const sourceDir = required(values.source, '--source');
    const outFile = required(values.out, '--out');
    const secret = passphrase();
    if (secret.length < MIN_PASSPHRASE_LENGTH)
      throw new AppError('invalid_input', `The passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long.`);
    const masterKey = generateMasterKey();
    const keyFile = await createKeyFile(masterKey, secret);
    const warnings: string[] = [];
    const { stats, pack } = await createArchiveFile({
      sourceDir,
      outFile,
      masterKey,
      keyFile,
      onWarning: (w) => warnings.push(w),
    });
    const summary = { ...stats, file: outFile, ...pack, seconds: seconds(), peakRssBytes: peakRssBytes(), warnings };
    if (values.json) printJson(summary);
    else {
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      printLine(
        `Created ${outFile}: ${pack.files} files, ${pack.bytes} bytes → ${stats.storedBytes} bytes stored (${mbPerSecond(stats.plainBytes, summary.seconds)})`,
      );
      printLine(`SHA-256 ${stats.sha256}`);
    }
    return 0;
  }
  if (sub === 'extract' || sub === 'verify') {
    if (positionals.length !== 1) throw new UsageError(`give exactly one archive FILE to ${sub}`);
    const file = positionals[0] as string;
    const secret = passphrase();
    const keyFiles = values['key-file'] ? readKeyFiles(values['key-file']) : undefined;
    const { info, contents } =
      sub === 'extract'
        ? await extractArchiveFile({ file, destDir: required(values.dest, '--dest'), passphrase: secret, keyFiles })
        : await verifyArchiveFile({ file, passphrase: secret, keyFiles });
    const summary = {
      ok: true,
      archiveId: info.header.archiveId,
      createdAt: info.header.createdAt,
      sha256: info.sha256,
      storedBytes: info.storedBytes,
      plainBytes: info.plainBytes,
      chunks: info.chunks,
      ...contents,
      ...(sub === 'extract' ? { dest: values.dest } : {}),
      seconds: seconds(),
      peakRssBytes: peakRssBytes(),
    };
    if (values.json) printJson(summary);
    else {
      printLine(
        sub === 'extract'
          ? `Extracted ${contents.files} files (${contents.bytes} bytes) into ${values.dest} (${mbPerSecond(info.plainBytes, summary.seconds)})`
          : `OK: every chunk authenticated; ${contents.files} files, ${contents.bytes} bytes in ${info.chunks} chunks`,
      );
      printLine(`SHA-256 ${info.sha256}  ${info.storedBytes} bytes stored`);
    }
    return 0;
  }
  throw new UsageError(sub ? `unknown archive command "${sub}"` : 'missing archive command (create, extract or verify)');
}
