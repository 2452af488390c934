// Column types shared by the entities.
import { BigIntType } from '@mikro-orm/core';

/** Minor-unit amounts: bigint in Postgres, a safe integer in JavaScript. */
export const minorUnits = () => new BigIntType('number');
