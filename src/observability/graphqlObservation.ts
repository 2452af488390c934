// GraphQL operations over HTTP: latency by type and root field, errors by `extensions.code` (as answered, after
// src/graphql/errors.ts mapped them), and, with tracing on, the request's span renamed after the operation
// (`graphql mutation subscribe`). Client-chosen operation names are unbounded, so the label is the operation's
// first root field, which the schema bounds; a document that names none is `other`.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { graphqlErrors, graphqlOperationDuration } from './metrics.js';

export function operationLabel(schema: GraphQLSchema, operation: OperationDefinitionNode | undefined | null): string {
  const first = operation?.selectionSet.selections[0];
  if (!operation || first?.kind !== Kind.FIELD) return 'other';
  const name = first.name.value;
  return schema.getRootType(operation.operation)?.getFields()[name] ? name : 'other';
}

/** An error code as a label: the API's codes are upper-case words; anything else is `other`. */
export function errorCodeLabel(code: unknown): string {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(code) ? code : 'other';
}

export const graphqlMetricsPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    let type = 'other';
    let operation = 'other';
    return {
      async didResolveOperation({ schema, operation: node }) {
        type = node?.operation ?? 'other';
        operation = operationLabel(schema, node);
        trace.getActiveSpan()?.updateName(`graphql ${type} ${operation}`);
      },
      async willSendResponse({ response }) {
        graphqlOperationDuration.observe({ type, operation }, Number(process.hrtime.bigint() - started) / 1e9);
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        for (const error of errors ?? []) graphqlErrors.inc({ code: errorCodeLabel(error.extensions?.code) });
      },
    };
  },
};
