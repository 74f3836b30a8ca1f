// How much heap a `ksim run` may use. Node.js's default limit (about 4 GiB on a 64-bit machine
// with this much memory) is far below what a big cluster can need, while the machine may well
// have it: a run whose estimated memory (src/run/memory-estimate.ts) exceeds what this process
// may use is then run again by a child Node.js with a heap large enough, unless the user chose a
// heap size, or the machine lacks the memory (then the run is refused with advice). The heap
// limit changes nothing in a run's outputs.
import { spawn } from 'node:child_process';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGTERM } from './exit.js';
import type { MemoryEstimate } from '../run/memory-estimate.js';
import { InputError } from '../api/input-error.js';

/** Set in the child's environment (the heap it got, MiB): it never relaunches itself. */
export const HEAP_ENV = 'KSIM_HEAP_MIB';
/** Set in the child's environment: when the parent started (its performance.timeOrigin, ms
 * since the epoch), so the child's wall times cover the user's whole command. */
export const STARTED_ENV = 'KSIM_STARTED_AT_MS';
/** Share of the heap limit a run's estimate may take: V8 needs room above the live set. */
export const HEAP_SHARE = 0.8;
/** Share of the machine's memory a raised heap may take. */
export const MACHINE_SHARE = 0.75;

export type HeapPlan =
  | { readonly kind: 'fits' }
  | { readonly kind: 'relaunch'; readonly mib: number }
  | { readonly kind: 'refuse'; readonly why: string };

export interface HeapFacts {
  readonly estimateBytes: number;
  /** This process's heap limit (v8 heap_size_limit). */
  readonly limitBytes: number;
  /** The machine's memory (os.totalmem()). */
  readonly machineBytes: number;
  /** --max-old-space-size or --max-heap-size given (node's arguments or NODE_OPTIONS). */
  readonly userChoseHeap: boolean;
  /** This process is already the relaunched child. */
  readonly relaunched: boolean;
}

/** Bytes as GiB with one decimal, as ksim's memory messages give them. */
export const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;

export function heapPlan(f: HeapFacts): HeapPlan {
  if (f.estimateBytes <= HEAP_SHARE * f.limitBytes) return { kind: 'fits' };
  const need = f.estimateBytes / HEAP_SHARE;
  if (f.userChoseHeap) return { kind: 'refuse', why: `the heap size given to Node.js (${gib(f.limitBytes)}) is too small` };
  if (f.relaunched) return { kind: 'refuse', why: `this process may use ${gib(f.limitBytes)}` };
  if (need > MACHINE_SHARE * f.machineBytes) {
    return { kind: 'refuse', why: `a heap of ${gib(need)} would be more than ${Math.round(MACHINE_SHARE * 100)} % of this machine's ${gib(f.machineBytes)}` };
  }
  return { kind: 'relaunch', mib: Math.ceil(need / 2 ** 20) };
}

/** The heap and the number of worker threads for runs in a pool (`ksim sweep`, `ksim capacity
 * --nodes-for`): each worker gets estimate / 0.8 of heap when that is above Node.js's default
 * (a worker's own limit, resourceLimits; one the user gave Node.js applies to workers too and is
 * kept), and no more workers run at once than the machine's memory holds at that heap each. */
export type PoolHeapPlan =
  | { readonly kind: 'fits'; readonly workers: number }
  | { readonly kind: 'raise'; readonly mib: number; readonly workers: number }
  | { readonly kind: 'refuse'; readonly why: string };

export function poolHeapPlan(f: Omit<HeapFacts, 'relaunched'> & { readonly workers: number }): PoolHeapPlan {
  const need = f.estimateBytes / HEAP_SHARE;
  if (need > MACHINE_SHARE * f.machineBytes) {
    return { kind: 'refuse', why: `a heap of ${gib(need)} would be more than ${Math.round(MACHINE_SHARE * 100)} % of this machine's ${gib(f.machineBytes)}` };
  }
  const workers = Math.max(1, Math.min(f.workers, Math.floor((MACHINE_SHARE * f.machineBytes) / need)));
  if (f.estimateBytes <= HEAP_SHARE * f.limitBytes) return { kind: 'fits', workers };
  if (f.userChoseHeap) return { kind: 'refuse', why: `the heap size given to Node.js (${gib(f.limitBytes)}) is too small` };
  return { kind: 'raise', mib: Math.ceil(need / 2 ** 20), workers };
}

/** What heapPlan and poolHeapPlan need to know of this process and machine. */
export function processHeapFacts(): Omit<HeapFacts, 'estimateBytes'> {
  return {
    limitBytes: getHeapStatistics().heap_size_limit,
    machineBytes: totalmem(),
    userChoseHeap: userChoseHeap(process.execArgv, process.env['NODE_OPTIONS']),
    relaunched: process.env[HEAP_ENV] !== undefined,
  };
}

/** The refusal's advice, for a run or for each run of a pool. */
export function tooBigAdvice(subject: string, est: MemoryEstimate, why: string): string {
  return (
    `a workload that fits in memory: ${subject} needs about ${gib(est.bytes)} (${est.nodes.toLocaleString('en-US')} nodes, ${est.pods.toLocaleString('en-US')} pods at once, ${est.podsCreated.toLocaleString('en-US')} created), and ${why}. ` +
    'Simulate a sample (fewer replicas, a lower rate, a shorter duration), or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=<MiB>)'
  );
}

/** The workers to run at once and the heap each gets, from the memory one run needs
 * (poolHeapPlan); notes a raised heap or fewer workers on stderr; refuses a run the machine cannot
 * hold (exit 2). For `ksim sweep` and `ksim capacity --nodes-for`. */
export function planPoolMemory(file: string, est: MemoryEstimate, workers: number, note: (s: string) => void): { workers: number; heapMib?: number } {
  const facts = processHeapFacts();
  const plan = poolHeapPlan({ ...facts, estimateBytes: est.bytes, workers });
  if (plan.kind === 'refuse') throw new InputError(file, 0, 0, 'workload', tooBigAdvice('each run', est, plan.why));
  const fewer = plan.workers < workers ? `; ${plan.workers} run${plan.workers === 1 ? '' : 's'} at a time, not ${workers}, so that they fit in this machine's ${gib(facts.machineBytes)}` : '';
  if (plan.kind === 'raise') note(`ksim: each run needs about ${gib(est.bytes)}: its worker gets a heap of ${plan.mib} MiB${fewer}\n`);
  else if (fewer !== '') note(`ksim: each run needs about ${gib(est.bytes)}${fewer}\n`);
  return plan.kind === 'raise' ? { workers: plan.workers, heapMib: plan.mib } : { workers: plan.workers };
}

/** Whether Node.js was given a heap size: in its own arguments or in NODE_OPTIONS. */
export function userChoseHeap(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const flag = /(^|\s)--max[-_](old[-_]space|heap)[-_]size([=\s]|$)/;
  return execArgv.some((a) => flag.test(a)) || flag.test(nodeOptions ?? '');
}

/** Thrown by `ksim run` before it starts: the CLI runs the same command again with `mib` MiB of
 * heap (relaunchWithHeap) and exits as it does. */
export class NeedsMoreHeap extends Error {
  constructor(
    readonly mib: number,
    readonly estimateBytes: number,
    /** --quiet: no note of it on stderr. */
    readonly quiet = false,
  ) {
    super(`this run needs about ${gib(estimateBytes)}: running it again with --max-old-space-size=${mib}`);
  }
}

/** The ksim command (bin/ksim.js), from dist/src/cli/heap.js. */
const KSIM_BIN = fileURLToPath(new URL('../../../bin/ksim.js', import.meta.url));

/** Runs the command `argv` (ksim's arguments, as main() got them) in a child Node.js with `mib` MiB of old-space heap, its output
 * going straight to this process's; resolves to its exit code. The child stays in this process
 * group (one of its own would be stopped for writing to a terminal set to `tostop`): a
 * terminal's Ctrl-C reaches it directly, and SIGINT and SIGTERM sent to this process are
 * forwarded (a second SIGINT during a run only stops it again). */
export function relaunchWithHeap(mib: number, argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${mib}`, KSIM_BIN, ...argv], {
      stdio: 'inherit',
      env: relaunchEnv(mib, process.env, performance.timeOrigin),
    });
    const forward = (s: NodeJS.Signals) => {
      child.kill(s);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code: number) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (e) => {
      process.stderr.write(`ksim: could not start Node.js again with a larger heap: ${e.message}\n`);
      done(EXIT_INTERNAL);
    });
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGTERM' ? EXIT_SIGTERM : signal === 'SIGINT' ? EXIT_SIGINT : EXIT_INTERNAL)));
  });
}

/** The relaunched child's environment: this one, the heap it gets, and when the command started
 * (this process's start: the child never relaunches itself). */
export function relaunchEnv(mib: number, env: NodeJS.ProcessEnv, timeOrigin: number): NodeJS.ProcessEnv {
  return { ...env, [HEAP_ENV]: String(mib), [STARTED_ENV]: String(timeOrigin) };
}

/** performance.now() at the start of the user's command, for the wall time a run reports: 0 (this
 * process's start) or, in a relaunched child, the parent's start (negative: before this process).
 * A value not set by a relaunch (no HEAP_ENV), malformed or after this process's start is
 * ignored. */
export function commandStartMs(env: NodeJS.ProcessEnv = process.env, timeOrigin: number = performance.timeOrigin): number {
  const at = env[STARTED_ENV];
  if (env[HEAP_ENV] === undefined || at === undefined || !/^\d+(\.\d+)?$/.test(at) || Number(at) > timeOrigin) return 0;
  return Number(at) - timeOrigin;
}

/** A run stops when, on HEAP_FULL_CHECKS checks in a row, less of its heap is left than
 * HEAP_FULL_SHARE of the limit plus HEAP_YOUNG_RESERVE (V8's total_available_size counts the
 * young generation's reserve, about 48 MiB, which old objects cannot use: a heap runs out with
 * that much still "available"). */
export const HEAP_FULL_SHARE = 0.1;
export const HEAP_YOUNG_RESERVE = 64 * 2 ** 20;
export const HEAP_FULL_CHECKS = 3;

interface HeapStats {
  readonly used_heap_size: number;
  readonly total_available_size: number;
  readonly heap_size_limit: number;
}

/**
 * Watches a run's heap between slices of events, for what the estimate does not see before the
 * run (a trace's pods arrive as it is read): true once the heap has been nearly full (above) on
 * HEAP_FULL_CHECKS checks in a row (a full collection would have freed it were it garbage), so
 * the run stops with advice instead of Node.js aborting with an out-of-memory stack trace.
 * `stats`: v8's getHeapStatistics (a fake in tests).
 */
export class HeapWatch {
  private fullChecks = 0;
  constructor(private readonly stats: () => HeapStats = getHeapStatistics) {}

  nearlyFull(): boolean {
    const s = this.stats();
    this.fullChecks = s.total_available_size < HEAP_FULL_SHARE * s.heap_size_limit + HEAP_YOUNG_RESERVE ? this.fullChecks + 1 : 0;
    return this.fullChecks >= HEAP_FULL_CHECKS;
  }

  /** The heap's use and limit, as the refusal gives them. */
  usage(): string {
    const s = this.stats();
    return `${gib(s.used_heap_size)} of its ${gib(s.heap_size_limit)} heap`;
  }
}
