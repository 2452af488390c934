// The fields of a webhook endpoint as callers give them, checked the same way on create and update.
import { z } from 'zod';
import { ALL_EVENT_TYPES, EVERY_EVENT, isEventType } from '../eventCatalog.js';
import { refuseEndpointUrl, type AddressPolicy } from '../endpointAddress.js';
import { ValidationError } from '../../kernel/errors.js';

export const eventTypesSchema = z
  .array(z.string())
  .min(1, `must name at least one event type, or '${EVERY_EVENT}' for all`)
  .max(ALL_EVENT_TYPES.length, `must name at most ${ALL_EVENT_TYPES.length} event types`)
  .describe(`Event types to receive (docs/webhooks.md), e.g. invoice.paid; '${EVERY_EVENT}' for all.`)
  .superRefine((types, ctx) => {
    const unknown = types.filter((type) => type !== EVERY_EVENT && !isEventType(type));
    if (unknown.length)
      ctx.addIssue({ code: 'custom', message: `must be event types (unknown: ${unknown.join(', ')})` });
  })
  .transform((types) => (types.includes(EVERY_EVENT) ? [EVERY_EVENT] : [...new Set(types)].sort()));

export const endpointFields = {
  url: z.string().trim().min(1, 'must not be empty').describe('Where deliveries are POSTed (https in production).'),
  eventTypes: eventTypesSchema,
  description: z.string().trim().max(500, 'must be at most 500 characters').nullable().optional(),
};

/** The URL rule needs DNS in production, so it is checked after parsing rather than inside the schema. */
export async function assertEndpointUrl(url: string, policy: AddressPolicy): Promise<void> {
  const problem = await refuseEndpointUrl(url, policy);
  if (problem) throw new ValidationError({ 'input.url': problem });
}
