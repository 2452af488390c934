// Live updates executed once per event for all the subscribers of this process that would get the same result: the
// same row (src/graphql/resolvers/LiveResolver.ts hands every subscriber with the same visibility the same object for
// an event), the same document, operation and variables, and the same caller. graphql-js's own `subscribe` executes
// the selection again for each subscriber; with a thousand clients following one payment that was a third of the
// API's CPU per event (bench/results/live-fanout-*.md). Each subscriber still gets its own message (its own
// operation id, its own error formatting).
import {
  createSourceEventStream,
  execute,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

/** The printed document, once per parsed document (each subscription parses its own). */
const printed = new WeakMap<DocumentNode, string>();
/** Results by source event payload (a row object), then by what else the execution depends on. */
const results = new WeakMap<object, Map<string, ExecutionResult | Promise<ExecutionResult>>>();

function printOnce(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/**
 * graphql-js's `subscribe`, with the execution of each event shared. `callerOf` names, as a string, everything in the
 * context that resolvers may answer differently for (the caller); two subscriptions share a result only when it is
 * equal.
 */
export async function subscribeSharingExecution(
  args: ExecutionArgs,
  callerOf: (contextValue: unknown) => string,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = stream as AsyncIterableIterator<unknown>;
  const key = [
    args.operationName ?? '',
    printOnce(args.document),
    JSON.stringify(args.variableValues ?? {}),
    callerOf(args.contextValue),
  ].join('\n');

  const executeFor = (payload: unknown): ExecutionResult | Promise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    let byKey = results.get(payload);
    if (!byKey) {
      byKey = new Map();
      results.set(payload, byKey);
    }
    let result = byKey.get(key);
    if (!result) {
      result = execute({ ...args, rootValue: payload });
      byKey.set(key, result);
    }
    return result;
  };

  const done: IteratorReturnResult<undefined> = { value: undefined, done: true };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const event = await source.next();
      if (event.done) return done;
      try {
        return { value: await executeFor(event.value), done: false };
      } catch (error) {
        await source.return?.();
        throw error;
      }
    },
    async return() {
      await source.return?.();
      return done;
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
