/** Of two non-negative BigInts (Euclid); gcd(0, 0) is 0. Exact fractions (proration, recurring revenue) reduce by it. */
export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
