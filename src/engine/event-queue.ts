import { createRequire } from 'node:module';
import type FastPriorityQueue from 'fastpriorityqueue';
import type { Micros } from './time.js';

/**
 * A private instance of the fastpriorityqueue module, evaluated just for the
 * engine. V8 keeps type feedback per function object, and the library's heap
 * methods (add, poll, _percolateDown) live on one shared prototype: if any
 * other code in the process also uses fastpriorityqueue, with another
 * comparator or element shape, those methods go polymorphic and the engine's
 * hot loop slows down by ~35% (measured). Re-evaluating the module gives the
 * engine its own function objects, hence its own monomorphic feedback.
 * The shared require cache entry is left exactly as it was.
 */
function loadPrivateFastPriorityQueue(): typeof FastPriorityQueue {
  const require = createRequire(import.meta.url);
  const path = require.resolve('fastpriorityqueue');
  const shared = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as typeof FastPriorityQueue;
  } finally {
    if (shared !== undefined) require.cache[path] = shared;
    else delete require.cache[path];
  }
}

const EngineFastPriorityQueue = loadPrivateFastPriorityQueue();

/**
 * A scheduled event. The engine treats `kind` and `subject` as opaque labels
 * (they exist for event logs and debugging); only `time` and `seq` matter for
 * ordering.
 */
export interface SimEvent {
  readonly time: Micros;
  /** Global insertion sequence, assigned by the queue; breaks ties between equal times. */
  readonly seq: number;
  /** e.g. "pod.start" — opaque to the engine. */
  readonly kind: string;
  /** e.g. "default/web-1" — opaque, for event logs. */
  readonly subject: string;
  readonly action: () => void;
  /**
   * True once cancelled. Read-only in spirit: always cancel through
   * `EventQueue.cancel` / `Simulation.cancel`, which also keeps `size` right.
   */
  cancelled: boolean;
}

/**
 * The single concrete event class. Every event has exactly this shape, with
 * fields initialised in the same order, so property accesses in the heap
 * comparator and the run loop stay monomorphic.
 */
class QueuedEvent implements SimEvent {
  // `declare`: emit no class-field definitions. Under ES2022 define semantics
  // every field would first be created as undefined and then assigned, which
  // measurably slows construction of the hottest object in the simulator.
  declare readonly time: Micros;
  declare readonly seq: number;
  declare readonly kind: string;
  declare readonly subject: string;
  declare readonly action: () => void;
  declare cancelled: boolean;
  /** True while the event is in the heap (false once popped or cancelled). */
  declare pending: boolean;

  constructor(time: Micros, seq: number, kind: string, subject: string, action: () => void) {
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.subject = subject;
    this.action = action;
    this.cancelled = false;
    this.pending = true;
  }
}

/** Strict "a before b" on (time, seq). A plain function: no captured state. */
function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Minimum number of cancelled events buried in the heap before it is compacted. */
const COMPACT_MIN_DEAD = 4096;

/**
 * Min-heap of events ordered by (time, insertion sequence): events with equal
 * times pop in the order they were pushed. Cancellation is lazy: a cancelled
 * event stays in the heap, marked, and is skipped when it reaches the top.
 * When cancelled events outnumber live ones (and there are at least
 * COMPACT_MIN_DEAD of them) the heap is rebuilt without them, so a workload
 * that schedules and cancels many far-future timeouts does not grow unbounded.
 */
export class EventQueue {
  private readonly heap: FastPriorityQueue<QueuedEvent> = new EngineFastPriorityQueue<QueuedEvent>(before);
  private nextSeq = 0;
  private live = 0;
  private dead = 0;

  /** Number of live (non-cancelled) events. */
  get size(): number {
    return this.live;
  }

  push(time: Micros, kind: string, subject: string, action: () => void): SimEvent {
    const ev = new QueuedEvent(time, this.nextSeq++, kind, subject, action);
    this.heap.add(ev);
    this.live++;
    return ev;
  }

  /** Removes and returns the next live event, or undefined when there is none. */
  pop(): SimEvent | undefined {
    const heap = this.heap;
    for (;;) {
      const ev = heap.poll();
      if (ev === undefined) return undefined;
      if (!ev.cancelled) {
        ev.pending = false;
        this.live--;
        return ev;
      }
      this.discard(ev);
    }
  }

  /**
   * Removes and returns the next live event if its time is <= `limit`;
   * otherwise leaves the queue untouched (apart from discarding cancelled
   * events at the top) and returns undefined. One heap access instead of
   * `peekTime()` + `pop()`.
   */
  popUntil(limit: Micros): SimEvent | undefined {
    const heap = this.heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (top.cancelled) {
        heap.poll();
        this.discard(top);
        continue;
      }
      if (top.time > limit) return undefined;
      heap.poll();
      top.pending = false;
      this.live--;
      return top;
    }
  }

  /** Time of the next live event (discarding cancelled events at the top). */
  peekTime(): Micros | undefined {
    const heap = this.heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (!top.cancelled) return top.time;
      heap.poll();
      this.discard(top);
    }
  }

  /**
   * Cancels an event pushed on this queue. Cancelling an event that already
   * popped or was already cancelled is a no-op apart from setting the flag.
   */
  cancel(ev: SimEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    if (!(ev instanceof QueuedEvent) || !ev.pending) return;
    ev.pending = false;
    this.live--;
    this.dead++;
    if (this.dead >= COMPACT_MIN_DEAD && this.dead > this.live) this.compact();
  }

  /** Bookkeeping for a cancelled event just removed from the top of the heap. */
  private discard(ev: QueuedEvent): void {
    if (ev.pending) {
      // Flag was set directly rather than through cancel(): count it now.
      ev.pending = false;
      this.live--;
    } else {
      this.dead--;
    }
  }

  /** Drops every cancelled event from the heap. Order of live events is unchanged (total order). */
  private compact(): void {
    const removed = this.heap.removeMany(isCancelled);
    for (const ev of removed) {
      if (ev.pending) {
        ev.pending = false;
        this.live--;
      }
    }
    this.heap.trim();
    this.dead = 0;
  }
}

function isCancelled(ev: QueuedEvent): boolean {
  return ev.cancelled;
}
