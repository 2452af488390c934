// `node dist/bench/cpuProfileSummary.js <file.cpuprofile> [--top 25] [--after-s 0] [--match <text>]`: where a
// process spent its CPU, from a V8 profile written by `node --cpu-prof` (e.g. the billing run's `--cpu-prof <dir>`).
// Prints, as Markdown tables: self time by area (our code, each npm package, Node's internals, GC), self time by
// function, inclusive time by area (samples with that area anywhere on the stack) and inclusive time of our own
// functions. No external tools: the .cpuprofile is JSON (nodes with parent links through `children`, and samples
// with the time since the previous one).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    /** Leave out the first seconds of the profile (start-up, the idle wait for the instant). */
    'after-s': { type: 'string', default: '0' },
    /** Only our own functions whose name or file contains this (inclusive table). */
    match: { type: 'string' },
    /** Also: the call paths (nearest --depth frames) of samples with a frame whose name contains this. */
    callers: { type: 'string' },
    depth: { type: 'string', default: '7' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: cpuProfileSummary <file.cpuprofile> [--top N] [--after-s S] [--match text]');
  process.exit(2);
}
const top = Number(values.top);
const depth = Number(values.depth);
const afterUs = Number(values['after-s']) * 1e6;
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Where a frame's code lives: `ours`, an npm package, Node's internals, or V8's own pseudo-frames. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node: internals';
  if (url.includes('workflow-bundle')) return 'workflow bundle (replay in the sandbox)';
  return 'ours';
}
const fileOf = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/dist\//, 'dist/');
const label = (frame: CallFrame) =>
  `${frame.functionName || '(anonymous)'} ${frame.url ? `${fileOf(frame.url)}:${frame.lineNumber + 1}` : ''}`.trim();

// The time a sample stands for is the delta to the next sample (the last one: the average).
const times: number[] = profile.timeDeltas.slice(1);
times.push(times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0);

const self = new Map<string, number>();
const selfArea = new Map<string, number>();
const inclusive = new Map<string, number>();
const inclusiveArea = new Map<string, number>();
const callers = new Map<string, number>();
let total = 0;
let elapsed = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  elapsed += profile.timeDeltas[i]!;
  if (elapsed < afterUs) continue;
  const leaf = byId.get(profile.samples[i]!)!;
  const us = times[i]!;
  if (leaf.callFrame.functionName === '(idle)') {
    idle += us;
    continue;
  }
  total += us;
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + us);
  add(self, label(leaf.callFrame));
  if (values.callers) addCallers(leaf, us);
  add(selfArea, area(leaf.callFrame));
  // Each function and area once per sample, however often it recurs on the stack.
  const seen = new Set<string>();
  const seenArea = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)!.callFrame;
    const where = area(frame);
    if (!seenArea.has(where)) {
      seenArea.add(where);
      add(inclusiveArea, where);
    }
    if (where !== 'ours') continue;
    const key = label(frame);
    if (!seen.has(key)) {
      seen.add(key);
      add(inclusive, key);
    }
  }
}

/** From the first frame (nearest the leaf) whose name contains --callers: it and its callers, as one path. */
function addCallers(leaf: ProfileNode, us: number) {
  let id: number | undefined = leaf.id;
  while (id !== undefined && !byId.get(id)!.callFrame.functionName.includes(values.callers!)) id = parent.get(id);
  if (id === undefined) return;
  const path: string[] = [];
  for (; id !== undefined && path.length < depth; id = parent.get(id)) path.push(label(byId.get(id)!.callFrame));
  const key = path.join(' ← ');
  callers.set(key, (callers.get(key) ?? 0) + us);
}

const ms = (us: number) => (us / 1000).toFixed(0);
const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
function table(title: string, map: Map<string, number>, filter: (key: string) => boolean = () => true) {
  console.log(`\n### ${title}\n\n| | ms | share of busy |\n| --- | ---: | ---: |`);
  const rows = [...map.entries()].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]);
  for (const [key, us] of rows.slice(0, top)) console.log(`| \`${key}\` | ${ms(us)} | ${pct(us)} |`);
}

console.log(
  `${positionals[0]}: ${ms(total)} ms busy, ${ms(idle)} ms idle over ${ms(profile.endTime - profile.startTime)} ms` +
    (afterUs ? ` (the first ${values['after-s']} s left out)` : ''),
);
table('Self time by area', selfArea);
table('Self time by function', self);
table('Inclusive time by area (on the stack anywhere)', inclusiveArea);
table(
  'Inclusive time of our own functions',
  inclusive,
  values.match ? (key) => key.toLowerCase().includes(values.match!.toLowerCase()) : undefined,
);
if (values.callers) table(`Call paths through \`${values.callers}\``, callers);
