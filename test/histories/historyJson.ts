// Temporal's JSON history format (what `temporal workflow show --output json` prints) to and from History objects.
//
// @temporalio/common's historyToJSON/historyFromJSON, which Worker.runReplayHistory also calls when handed JSON,
// throw "type must be a Type" with this repository's lockfile: npm nests one copy of protobufjs 8 under
// @temporalio/common and another under @temporalio/proto (the root keeps protobufjs 7 for other packages), and
// protojson's `instanceof Type` check fails across copies. The same conversion done with the protobufjs copy that
// @temporalio/proto's types come from works, and keeps working once the copies are deduplicated.
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils.js';

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History;
}

const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot(root: unknown): { lookupType(name: string): unknown };
};
const { toJson, fromJson } = fromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = patchProtobufRoot(fromProto('@temporalio/proto')).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(toJson(historyType, history));
}

/** Unknown fields (a history from a newer server) are ignored, as @temporalio/common does. */
export function historyFromJSON(json: string | object): History {
  return fromJson(historyType, typeof json === 'string' ? JSON.parse(json) : json, { ignoreUnknownFields: true });
}
