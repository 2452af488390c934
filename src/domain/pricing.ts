// Quantity pricing: a flat unit price, or tiers (Stripe semantics). Amounts are integer minor units. The arithmetic
// runs in BigInt so that quantity x unit amount is exact however large, and a total past Number.MAX_SAFE_INTEGER is
// refused rather than silently rounded by the float multiplication.

export const TIER_MODES = ['GRADUATED', 'VOLUME'] as const;
export type TierMode = (typeof TIER_MODES)[number];

/**
 * One price tier. `upTo` is the last unit (inclusive) the tier covers; null means "and every unit after", which only
 * the last tier may say, so that every quantity falls in exactly one tier.
 */
export interface PriceTier {
  upTo: number | null;
  unitAmount: number;
  flatAmount: number;
}

function isNonNegativeMinorUnits(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0;
}

function assertQuantity(quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`quantity must be a non-negative whole number, got ${quantity}`);
  }
}

/** Back to a number only when it still is an exact integer; beyond 2^53 a number would quietly lose units. */
function toSafeMinorUnits(total: bigint): number {
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${total} minor units is larger than can be represented exactly`);
  }
  return Number(total);
}

/** Every rule the tiers break, in words an operator can act on; an empty list means the tiers are valid. */
export function tierProblems(tiers: readonly PriceTier[]): string[] {
  if (tiers.length === 0) return ['tiers must not be empty'];
  const problems: string[] = [];
  const last = tiers.length - 1;
  let openBeforeLast = false;
  // Compared against the last bounded tier, so one misplaced null does not hide an out-of-order tier after it.
  let previousBounded: { index: number; upTo: number } | null = null;
  tiers.forEach((tier, i) => {
    if (tier.upTo === null) {
      if (i !== last) openBeforeLast = true;
    } else {
      if (!Number.isSafeInteger(tier.upTo) || tier.upTo < 1) {
        problems.push(`tiers[${i}].upTo must be a positive whole number or null`);
      }
      if (previousBounded !== null && !(tier.upTo > previousBounded.upTo)) {
        problems.push(`tiers[${i}].upTo must be greater than tiers[${previousBounded.index}].upTo`);
      }
      previousBounded = { index: i, upTo: tier.upTo };
    }
    if (!isNonNegativeMinorUnits(tier.unitAmount)) {
      problems.push(`tiers[${i}].unitAmount must be a non-negative whole number of minor units`);
    }
    if (!isNonNegativeMinorUnits(tier.flatAmount)) {
      problems.push(`tiers[${i}].flatAmount must be a non-negative whole number of minor units`);
    }
  });
  if (openBeforeLast) problems.push('only the last tier may have upTo null');
  if (tiers[last]?.upTo !== null) problems.push('the last tier must have upTo null');
  return problems;
}

/**
 * The price of `quantity` units.
 * GRADUATED: each unit costs the unit amount of the tier it falls in, and every tier the quantity reaches adds its
 * flat amount once. VOLUME: every unit costs the unit amount of the tier the whole quantity falls in, plus that
 * tier's flat amount. Nothing is charged for zero units in either mode, flat amounts included.
 */
export function tieredAmount(tiers: readonly PriceTier[], mode: TierMode, quantity: number): number {
  assertQuantity(quantity);
  const problems = tierProblems(tiers);
  if (problems.length > 0) throw new RangeError(`invalid price tiers: ${problems.join('; ')}`);
  if (quantity === 0) return 0;
  const units = BigInt(quantity);
  switch (mode) {
    case 'GRADUATED': {
      let total = 0n;
      let priced = 0n; // units already priced by earlier tiers
      for (const tier of tiers) {
        if (units <= priced) break; // this tier is not entered, so its flat amount is not charged either
        const ceiling = tier.upTo === null || BigInt(tier.upTo) > units ? units : BigInt(tier.upTo);
        total += (ceiling - priced) * BigInt(tier.unitAmount) + BigInt(tier.flatAmount);
        priced = ceiling;
      }
      return toSafeMinorUnits(total);
    }
    case 'VOLUME': {
      const tier = tiers.find((candidate) => candidate.upTo === null || quantity <= candidate.upTo);
      // Unreachable for valid tiers (the last one is open-ended), but keeps the compiler and a reader honest.
      if (!tier) throw new RangeError(`no tier covers quantity ${quantity}`);
      return toSafeMinorUnits(units * BigInt(tier.unitAmount) + BigInt(tier.flatAmount));
    }
    default:
      // Modes arrive from stored plans and API input, so an unknown one is refused at run time too.
      throw new RangeError(`tier mode must be one of ${TIER_MODES.join(', ')}, got ${String(mode)}`);
  }
}

/** `unitAmount` per unit, for plans without tiers. */
export function flatPrice(unitAmount: number, quantity: number): number {
  if (!isNonNegativeMinorUnits(unitAmount)) {
    throw new RangeError(`unitAmount must be a non-negative whole number of minor units, got ${unitAmount}`);
  }
  assertQuantity(quantity);
  return toSafeMinorUnits(BigInt(unitAmount) * BigInt(quantity));
}
