// graphql-js ends many errors with "Did you mean …?", naming fields, arguments, types and enum values close to what
// was sent. To a stranger that is a map of the schema, handed out even where introspection is off; to a developer
// calling with credentials it is a help. So suggestions are shown only to authenticated callers, and never in
// production.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Caller } from '../kernel/caller.js';

// The same pattern Apollo's ApolloServerPluginDisableSuggestions removes.
const SUGGESTION = / ?Did you mean(.+?)\?$/;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** `enabled` is the server's setting (off in production); anonymous callers never get suggestions. */
export function suggestionsShownTo(caller: Caller | undefined, enabled: boolean): boolean {
  return enabled && caller !== undefined && caller.kind !== 'anonymous';
}

/** Strips the suggestions from a request's errors (validation and variables alike) before they are formatted. */
export function schemaSuggestionsPlugin(enabled: boolean): ApolloServerPlugin<{ caller: Caller }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          if (suggestionsShownTo(contextValue.caller, enabled)) return;
          for (const error of errors as GraphQLError[]) error.message = withoutSuggestions(error.message);
        },
      };
    },
  };
}
