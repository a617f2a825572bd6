import { AppError } from '../errors';

// POSIX ustar with pax extended headers (POSIX.1-2001) for what ustar cannot hold: long or
// non-ASCII names and link targets, sizes of 8 GiB and more, large ids, sub-second mtimes.
export const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777; // 11 octal digits: 8 GiB - 1
const MAX_OCTAL_ID = 0o7777777;

export type TarEntryType = 'file' | 'directory' | 'symlink';

export interface TarEntry {
  path: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Nanoseconds since the epoch, as lstat({bigint: true}) gives them. */
  mtimeNs: bigint;
  linkTarget?: string;
}

const TYPE_FLAGS: Record<TarEntryType, string> = { file: '0', directory: '5', symlink: '2' };

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value, offset, length, 'utf8');
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** GNU base-256: for numbers that do not fit the octal field (also written into pax). */
function writeNumber(block: Buffer, offset: number, length: number, value: number, maxOctal: number): void {
  if (value <= maxOctal) {
    writeOctal(block, offset, length, value);
    return;
  }
  block.fill(0, offset, offset + length);
  let v = BigInt(value);
  for (let i = offset + length - 1; i > offset; i -= 1) {
    block[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  block[offset] = 0x80;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

const isPlainAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function paxRecords(entry: TarEntry, name: string): string {
  let records = '';
  if (Buffer.byteLength(name) > 100 || !isPlainAscii(name)) records += paxRecord('path', name);
  if (entry.linkTarget !== undefined && (Buffer.byteLength(entry.linkTarget) > 100 || !isPlainAscii(entry.linkTarget))) {
    records += paxRecord('linkpath', entry.linkTarget);
  }
  if (entry.size > MAX_OCTAL_SIZE) records += paxRecord('size', String(entry.size));
  if (entry.uid > MAX_OCTAL_ID) records += paxRecord('uid', String(entry.uid));
  if (entry.gid > MAX_OCTAL_ID) records += paxRecord('gid', String(entry.gid));
  const fraction = entry.mtimeNs % 1_000_000_000n;
  if (fraction !== 0n) {
    const seconds = entry.mtimeNs / 1_000_000_000n;
    records += paxRecord('mtime', `${seconds}.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}`);
  }
  return records;
}

function ustarBlock(
  name: string,
  type: string,
  size: number,
  entry: Pick<TarEntry, 'mode' | 'uid' | 'gid' | 'mtimeNs'>,
  linkTarget = '',
): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(
    block,
    0,
    100,
    Buffer.byteLength(name) <= 100 && isPlainAscii(name) ? name : name.replace(/[^\x20-\x7e]/g, '_').slice(0, 100),
  );
  writeOctal(block, 100, 8, entry.mode & 0o7777);
  writeNumber(block, 108, 8, entry.uid, MAX_OCTAL_ID);
  writeNumber(block, 116, 8, entry.gid, MAX_OCTAL_ID);
  writeNumber(block, 124, 12, size, MAX_OCTAL_SIZE);
  writeOctal(block, 136, 12, Math.max(0, Number(entry.mtimeNs / 1_000_000_000n)));
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  block.write(type, 156, 1, 'ascii');
  writeString(block, 157, 100, Buffer.byteLength(linkTarget) <= 100 && isPlainAscii(linkTarget) ? linkTarget : '');
  block.write('ustar\x0000', 257, 8, 'binary');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The header block(s) of one entry: a pax header first when ustar cannot hold it all. */
export function encodeTarHeader(entry: TarEntry): Buffer {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const size = entry.type === 'file' ? entry.size : 0;
  const main = ustarBlock(name, TYPE_FLAGS[entry.type], size, entry, entry.linkTarget);
  const records = paxRecords({ ...entry, size }, name);
  if (records === '') return main;
  const body = Buffer.from(records, 'utf8');
  const paxHeader = ustarBlock('PaxHeader', 'x', body.length, { mode: 0o644, uid: 0, gid: 0, mtimeNs: 0n });
  return Buffer.concat([paxHeader, body, Buffer.alloc(paddingFor(body.length)), main]);
}

export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

function bad(detail: string): AppError {
  return new AppError('corrupted', `The backup's file list is damaged: ${detail}.`);
}

function readString(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function readNumber(block: Buffer, offset: number, length: number): number {
  if ((block[offset] ?? 0) & 0x80) {
    let v = 0n;
    for (let i = offset + 1; i < offset + length; i += 1) v = (v << 8n) | BigInt(block[i] ?? 0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('a number is too large');
    return Number(v);
  }
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw bad('a numeric field is not octal');
  return Number.parseInt(text, 8);
}

export interface RawHeader {
  name: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch, to the microsecond (what utimes can set exactly enough). */
  mtimeSeconds: number;
  linkname: string;
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

export function decodeTarHeader(block: Buffer): RawHeader {
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (readNumber(block, 148, 8) !== sum) throw bad('a header checksum does not match');
  if (block.toString('binary', 257, 263) !== 'ustar\0') throw bad('a header is not ustar');
  const prefix = readString(block, 345, 155);
  const name = readString(block, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    typeflag: String.fromCharCode(block[156] ?? 0),
    mode: readNumber(block, 100, 8),
    uid: readNumber(block, 108, 8),
    gid: readNumber(block, 116, 8),
    size: readNumber(block, 124, 12),
    mtimeSeconds: readNumber(block, 136, 12),
    linkname: readString(block, 157, 100),
  };
}

/** Parses pax records ("len key=value\n"…) into a map. */
export function parsePaxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = Number(body.toString('ascii', at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0 || at + length > body.length)
      throw bad('a pax record is malformed');
    const record = body.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq <= 0) throw bad('a pax record is malformed');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** Parses a pax time ("1700000000.123456789") to seconds, truncated to the microsecond. */
export function parsePaxTime(value: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw bad(`pax time "${value}" is malformed`);
  const micros = Number((match[2] ?? '').slice(0, 6).padEnd(6, '0'));
  return Number(match[1]) + micros / 1e6;
}
