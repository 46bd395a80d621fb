// Worker-thread entry of SqliteStore.open: owns the database connection, so fsyncs happen off the
// HTTP thread. Messages are handled in order. After each commit the worker takes every message
// that queued up meanwhile (receiveMessageOnPort, no event-loop turn) and runs consecutive
// `applyGroup` messages as one transaction: one fsync for all of them, then one reply per message.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SqliteCore } from './SqliteCore.js';
import type { StoreSettings } from './Store.js';
import type { ApplyOutcome, Beacon } from './types.js';

interface Call { id: number; op: keyof SqliteCore; args: unknown[] }
interface Reply { id: number; result?: unknown; error?: string }
type Group = { beacon: Beacon; now: number }[];

const data = workerData as { file: string; settings: StoreSettings };
let core: SqliteCore | undefined;
try {
  core = new SqliteCore(data.file, data.settings);
  parentPort?.postMessage({ ready: true });
} catch (e) {
  parentPort?.postMessage({ error: (e as Error).message });
}

function run(m: Call): Reply {
  try {
    if (!core) throw new Error('seglet: database not open');
    return { id: m.id, result: (core[m.op] as (...a: unknown[]) => unknown)(...m.args) };
  } catch (e) {
    return { id: m.id, error: (e as Error).message };
  }
}

/** Commits the beacons of `calls` (all `applyGroup`) in one transaction; one reply per call. */
function commit(calls: Call[]): Reply[] {
  if (calls.length === 1 && calls[0]) return [run(calls[0])];
  const groups = calls.map((c) => c.args[0] as Group);
  const merged = run({ id: -1, op: 'applyGroup', args: [groups.flat()] });
  if (merged.error !== undefined) return calls.map((c) => ({ id: c.id, error: merged.error }));
  const outcomes = merged.result as ApplyOutcome[];
  let at = 0;
  return calls.map((c, i) => {
    const n = groups[i]?.length ?? 0;
    at += n;
    return { id: c.id, result: outcomes.slice(at - n, at) };
  });
}

function serve(port: MessagePort, first: Call): void {
  const answer = (replies: Reply[]) => { port.postMessage(replies.length === 1 ? replies[0] : replies); };
  let batch = [first];
  while (batch.length > 0) {
    let applies: Call[] = [];
    for (const m of batch) {
      if (m.op === 'applyGroup') { applies.push(m); continue; }
      if (applies.length > 0) { answer(commit(applies)); applies = []; }
      answer([run(m)]);
    }
    if (applies.length > 0) answer(commit(applies));
    batch = [];
    for (let r = receiveMessageOnPort(port); r; r = receiveMessageOnPort(port)) batch.push(r.message as Call);
  }
}

const port = parentPort;
port?.on('message', (m: Call) => { serve(port, m); });
