import { randomInt } from 'node:crypto';

// Crockford-style alphabet without I, L, O, U: nothing to misread when copying it onto paper.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_LENGTH = 5;

/** A random passphrase of 150 bits, e.g. `7KQ2M-XR4TD-…`, easy to write down and type. */
export function generatePassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g += 1) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i += 1) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
