import FastPriorityQueue from 'fastpriorityqueue';
import { Bench, type Task } from 'tinybench';
import { Simulation } from '../src/engine/simulation.js';
import type { BenchRow } from './bench-row.js';

/** Events per iteration. */
export const ENGINE_BENCH_EVENTS = 100_000;
/** Event times are drawn from [0, TIME_RANGE): ~10 events share each time on average. */
const TIME_RANGE = 10_000;

/**
 * Fixed event times from a 32-bit LCG (Numerical Recipes constants), so both
 * tasks see exactly the same sequence on every run and machine.
 */
export function eventTimes(n: number, seed = 12345): Float64Array {
  const out = new Float64Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x % TIME_RANGE;
  }
  return out;
}

interface BareEvent {
  time: number;
  seq: number;
}

function bareBefore(a: BareEvent, b: BareEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

const noop = (): void => {};

/** Schedules every event on a fresh Simulation, then runs them all. Returns events run. */
export function engineSchedulePop(times: Float64Array): number {
  const sim = new Simulation();
  for (let i = 0; i < times.length; i++) sim.schedule(times[i]!, 'bench', 'e', noop);
  sim.run();
  return sim.eventsProcessed;
}

/** Same workload on a bare FastPriorityQueue of {time, seq} objects. Returns events polled. */
export function bareFpqAddPoll(times: Float64Array): number {
  const q = new FastPriorityQueue<BareEvent>(bareBefore);
  for (let i = 0; i < times.length; i++) q.add({ time: times[i]!, seq: i });
  let n = 0;
  while (q.poll() !== undefined) n++;
  return n;
}

function meanMs(task: Task | undefined): number {
  const r = task?.result;
  if (r === undefined || (r.state !== 'completed' && r.state !== 'aborted-with-statistics')) {
    throw new Error(`benchmark task ${task?.name ?? '?'} did not complete (state ${r?.state ?? 'missing'})`);
  }
  return r.latency.mean;
}

/** Pending events in the hold model: a steady-state queue, as a running simulation has. */
export const HOLD_PENDING = 10_000;

/**
 * The classic "hold" model of event-queue benchmarks: HOLD_PENDING events are pending; each
 * event, when it runs, schedules one successor at now + the next increment of the sequence.
 * `increments.length` events run in all. Returns events run.
 */
export function engineHold(increments: Float64Array): number {
  const sim = new Simulation();
  let next = HOLD_PENDING;
  const n = increments.length;
  const action = (): void => {
    if (next < n) sim.schedule(increments[next++]!, 'bench', 'e', action);
  };
  for (let i = 0; i < HOLD_PENDING; i++) sim.schedule(increments[i]!, 'bench', 'e', action);
  sim.run();
  return sim.eventsProcessed;
}

/** The hold model on a bare FastPriorityQueue of {time, seq}. */
export function bareHold(increments: Float64Array): number {
  const q = new FastPriorityQueue<BareEvent>(bareBefore);
  let seq = 0;
  for (let i = 0; i < HOLD_PENDING; i++) q.add({ time: increments[i]!, seq: seq++ });
  let next = HOLD_PENDING;
  let n = 0;
  for (let ev = q.poll(); ev !== undefined; ev = q.poll()) {
    n++;
    if (next < increments.length) q.add({ time: ev.time + increments[next++]!, seq: seq++ });
  }
  return n;
}

export interface EngineBenchOptions {
  /** Time budget per task in ms (tinybench `time`). */
  timeMs?: number;
  events?: number;
}

/**
 * Engine benchmarks. Both tasks process the same pre-generated 100,000 event
 * times (~10 events per distinct time, so the seq tie-break is exercised) and
 * build a fresh queue per iteration. events/s = N / mean iteration latency
 * (tinybench `latency.mean`, so GC pauses are included); the ratio compares
 * the same means.
 *
 * Note: the engine loads a private instance of fastpriorityqueue (see
 * src/engine/event-queue.ts), so the bare task below, which uses the normal
 * module instance, does not make the engine's heap code polymorphic and vice
 * versa; both are measured in their best (monomorphic) state.
 */
export async function engineBenchmarks(options: EngineBenchOptions = {}): Promise<BenchRow[]> {
  const n = options.events ?? ENGINE_BENCH_EVENTS;
  const times = eventTimes(n);

  // Sanity: both implementations pop the same number of events in the same order.
  checkSameOrder(times);

  const ENGINE = 'engine schedule+pop';
  const BARE = 'bare fastpriorityqueue add+poll';
  let sink = 0;
  const bench = new Bench({ name: 'engine', time: options.timeMs ?? 2000, iterations: 20, warmupIterations: 10, throws: true });
  bench.add(ENGINE, () => {
    sink += engineSchedulePop(times);
  });
  bench.add(BARE, () => {
    sink += bareFpqAddPoll(times);
  });
  const ENGINE_HOLD = 'engine hold model (10k pending)';
  const BARE_HOLD = 'bare fastpriorityqueue hold model (10k pending)';
  bench.add(ENGINE_HOLD, () => {
    sink += engineHold(times);
  });
  bench.add(BARE_HOLD, () => {
    sink += bareHold(times);
  });
  await bench.run();
  if (sink === 0) throw new Error('benchmark did no work');

  const rows: BenchRow[] = [];
  for (const [engine, bare] of [[ENGINE, BARE], [ENGINE_HOLD, BARE_HOLD]] as const) {
    const engineMs = meanMs(bench.getTask(engine));
    const bareMs = meanMs(bench.getTask(bare));
    rows.push(
      { name: engine, metric: 'events_per_s', value: Math.round(n / (engineMs / 1000)), unit: 'events/s' },
      { name: bare, metric: 'events_per_s', value: Math.round(n / (bareMs / 1000)), unit: 'events/s' },
      { name: engine, metric: 'time_ratio_vs_bare_fpq', value: Number((engineMs / bareMs).toFixed(3)), unit: 'x' },
    );
  }
  return rows;
}

function checkSameOrder(times: Float64Array): void {
  const engineOrder: number[] = [];
  const sim = new Simulation();
  for (let i = 0; i < times.length; i++) {
    const idx = i;
    sim.schedule(times[i]!, 'bench', 'e', () => engineOrder.push(idx));
  }
  sim.run();
  const q = new FastPriorityQueue<BareEvent>(bareBefore);
  for (let i = 0; i < times.length; i++) q.add({ time: times[i]!, seq: i });
  for (let i = 0; i < times.length; i++) {
    if (q.poll()?.seq !== engineOrder[i]) throw new Error(`engine and bare queue disagree at position ${i}`);
  }
}
