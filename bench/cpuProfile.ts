import fs from 'node:fs';
import path from 'node:path';

/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that a summary needs. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock, the one process.hrtime reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  share: number;
}

export interface ProfileSummary {
  /** Samples taken within the window (about one a millisecond). */
  samples: number;
  /** The event loop waiting for something to happen. */
  idle: number;
  /** The functions with the most samples of their own, and where they are. */
  functions: Array<Share & { where: string }>;
  /** The same samples by package or folder: where the time goes. */
  areas: Share[];
}

/** The profile written into `dir` by the process that ran there; undefined when there is none. */
function readProfile(dir: string): { file: string; profile: CpuProfile } | undefined {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')) : [];
  const file = files.sort().pop();
  return file ? { file: path.join(dir, file), profile: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile } : undefined;
}

/** Self time per function and per area, over the samples taken between `fromUs` and `toUs` (monotonic clock). */
function summariseProfile(profile: CpuProfile, fromUs: number, toUs: number, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const hits = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= fromUs && at <= toUs) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const samples = [...hits.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, Share & { where: string }>();
  const areas = new Map<string, number>();
  for (const [id, n] of hits) {
    const node = byId.get(id)!;
    const caller = isNative(node) ? callerOf(node, parentOf) : undefined;
    const where = caller ? `native, called from ${locationOf(caller)}` : locationOf(node);
    const key = `${node.callFrame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: node.callFrame.functionName || '(anonymous)', where, share: 0 };
    entry.share += n / samples;
    functions.set(key, entry);
    const area = caller ? `native, for ${onBehalfOf(caller, parentOf)}` : areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + n / samples);
  }
  const ranked = <T extends Share>(items: Iterable<T>) => [...items].sort((a, b) => b.share - a.share);
  return {
    samples,
    idle: areas.get(IDLE) ?? 0,
    functions: ranked(functions.values()).slice(0, top),
    areas: ranked([...areas].map(([name, share]) => ({ name, share }))),
  };
}

const IDLE = 'idle (event loop waiting)';
const SPECIAL: Record<string, string> = {
  '(idle)': IDLE,
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 and native code outside JavaScript',
};

/** A C++ function called from JavaScript (a binding such as better-sqlite3's statements), not one of V8's own entries. */
const isNative = (node: ProfileNode) => node.callFrame.url === '' && !SPECIAL[node.callFrame.functionName];

/** The nearest JavaScript function up the stack: native time is spent on its behalf. */
function callerOf(node: ProfileNode, parentOf: ReadonlyMap<number, ProfileNode>): ProfileNode | undefined {
  let caller = parentOf.get(node.id);
  while (caller && caller.callFrame.url === '') caller = parentOf.get(caller.id);
  return caller;
}

/** The area of the nearest caller outside Node.js itself: native time in a socket write is spent for the library that wrote. */
function onBehalfOf(caller: ProfileNode, parentOf: ReadonlyMap<number, ProfileNode>): string {
  let frame: ProfileNode | undefined = caller;
  while (frame && (frame.callFrame.url === '' || frame.callFrame.url.startsWith('node:'))) frame = parentOf.get(frame.id);
  return frame ? areaOf(frame) : 'Node.js core';
}

/** Where a function lives, without the machine's paths: `src/store/groupCommit.js:40`, `express/lib/…:12`, `node:net:330`. */
function locationOf(node: ProfileNode): string {
  const { url, lineNumber } = node.callFrame;
  if (url === '') return '';
  const line = `:${lineNumber + 1}`;
  if (url.startsWith('node:')) return url + line;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length) + line;
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length) + line;
  return path.basename(url) + line;
}

/** A package (`kysely`, `express`), a folder of the compiled code (`src/store`), Node.js itself, or one of V8's own entries. */
function areaOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (url === '') return SPECIAL[functionName] ?? 'native';
  if (url.startsWith('node:')) return 'Node.js core';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return 'other';
}

/**
 * Summarises the profile a stopped process wrote into `dir` over the window, keeps the raw file as `keepAs` (to
 * open in a profiler's viewer) and removes `dir`; undefined when no profile was written.
 */
export function takeProfile(dir: string, window: { fromUs: number; toUs: number }, keepAs: string): ProfileSummary | undefined {
  try {
    const found = readProfile(dir);
    if (!found) return undefined;
    fs.mkdirSync(path.dirname(keepAs), { recursive: true });
    fs.copyFileSync(found.file, keepAs);
    return summariseProfile(found.profile, window.fromUs, window.toUs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
