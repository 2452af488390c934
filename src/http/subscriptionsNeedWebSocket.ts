// A subscription is a stream of events, which a single HTTP response cannot carry: over HTTP, Apollo would run it as
// a query and fail on the subscription root's null ("Cannot return null for non-nullable field"), an internal error.
// It is refused up front instead, saying where subscriptions are served.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

export const SUBSCRIPTION_OVER_HTTP_MESSAGE =
  'subscriptions are served over WebSocket only: connect to ws(s)://<host>/graphql with the graphql-ws protocol';

export const subscriptionsNeedWebSocket: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(SUBSCRIPTION_OVER_HTTP_MESSAGE, {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      },
    };
  },
};
