import { createRequire } from 'node:module';
import type FastPriorityQueue from 'fastpriorityqueue';
import type { Micros } from './time.js';
import { pollClearing } from './heap.js';

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

/** An event's action; it is called with the event's target. */
export type EventAction = (target: unknown) => void;

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
  /** Run with `target` as its argument. */
  readonly action: EventAction;
  /** What the action works on (see Simulation.schedule), or undefined. */
  readonly target: unknown;
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
  declare readonly action: EventAction;
  declare readonly target: unknown;
  declare cancelled: boolean;
  /** True while the event is queued (false once popped or cancelled). */
  declare pending: boolean;
  /** Queued in a lane (see Lane), not in the heap. */
  declare inLane: boolean;
  /** The next event of its bucket while it waits in the ring (see EventQueue), else null. */
  declare next: QueuedEvent | null;

  constructor(time: Micros, seq: number, kind: string, subject: string, action: EventAction, target: unknown, inLane: boolean) {
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.subject = subject;
    this.action = action;
    this.target = target;
    this.cancelled = false;
    this.pending = true;
    this.inLane = inLane;
    this.next = null;
  }
}

/**
 * A queue of events pushed in time order (each at or after the one before it): a FIFO, where
 * the heap would cost O(log n) per push and pop. The events of a lane carry the same global
 * sequence numbers as the heap's, and the queue pops the earliest of the heap's top and the
 * lanes' heads by (time, seq): the order is exactly the one a single heap gives. An event pushed
 * to a lane earlier than the lane's last goes to the heap instead.
 */
class Lane {
  events: QueuedEvent[] = [];
  head = 0;
  lastTime = Number.NEGATIVE_INFINITY;

  /** Drops the front event (just popped). */
  shift(): void {
    this.head++;
    // Popped events are dropped in batches: the array is cut once they are most of it.
    if (this.head >= 1024 && this.head * 2 >= this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }
}

/** Strict "a before b" on (time, seq). A plain function: no captured state. */
function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Minimum number of cancelled events buried in the heap before it is compacted. */
const COMPACT_MIN_DEAD = 4096;

/** Width of a bucket of the ring of later events (see EventQueue), in µs of simulated time: the
 * heap holds the events of one bucket, a few dozen in a churn of 170 pods a simulated second
 * where one-second buckets left it thousands deep (10 ms: 1-2 % less CPU on that churn). */
const BUCKET_US = 10_000;
/** Buckets in the ring (a power of two; 1 MB of slots): it reaches 21.8 simulated minutes past
 * the horizon. An empty bucket costs a step when the clock passes it (100 a simulated second). */
const RING = 131_072;

/**
 * Min-heap of events ordered by (time, insertion sequence): events with equal
 * times pop in the order they were pushed. Cancellation is lazy: a cancelled
 * event stays in the heap, marked, and is skipped when it reaches the top.
 * When cancelled events outnumber live ones (and there are at least
 * COMPACT_MIN_DEAD of them) the heap is rebuilt without them, so a workload
 * that schedules and cancels many far-future timeouts does not grow unbounded.
 *
 * Events at or after the `horizon` (the end of the current bucket) wait out of the heap in a
 * ring of 10 ms buckets, and a bucket's events enter the heap when the clock reaches it. A steady
 * churn keeps one timer per running pod (10,000 of them, a minute ahead on average) and little
 * else: in the heap they made it 13 levels deep for every pop, and percolating down through them
 * was the largest single cost of such a run. Events past the ring's reach go to the
 * heap. The order is unchanged: every event in the ring is at or after the horizon, so the heap's
 * top is the earliest of both while it is before the horizon, and a bucket moved keeps its
 * events' sequence numbers.
 */
export class EventQueue {
  private readonly heap: FastPriorityQueue<QueuedEvent> = new EngineFastPriorityQueue<QueuedEvent>(before);
  private readonly lanes: Lane[] = [];
  private nextSeq = 0;
  private live = 0;
  /** Cancelled events still in the heap or the ring. */
  private dead = 0;
  /** Where front() found the event it returned: -1 the heap, else a lane's index. */
  private frontFrom = -1;
  /** The ring's buckets, each a list linked through QueuedEvent.next (no array per bucket to
   * grow, be promoted and be dropped a second later); the first, at ringStart, holds the events of
   * [horizon, horizon + BUCKET_US). */
  private readonly ring: (QueuedEvent | null)[] = new Array<QueuedEvent | null>(RING).fill(null);
  private ringStart = 0;
  /** Events in the ring (cancelled ones included). */
  private inRing = 0;
  /** A multiple of BUCKET_US: every event in the ring is at or after it. */
  private horizon: Micros = BUCKET_US;

  /** Number of live (non-cancelled) events. */
  get size(): number {
    return this.live;
  }

  push(time: Micros, kind: string, subject: string, action: EventAction, target?: unknown): SimEvent {
    const ev = new QueuedEvent(time, this.nextSeq++, kind, subject, action, target, false);
    this.insert(ev);
    this.live++;
    return ev;
  }

  /** Into the heap, or the ring's bucket of its second when that is at or after the horizon and
   * within the ring's reach. */
  private insert(ev: QueuedEvent): void {
    const ahead = ev.time - this.horizon;
    if (ahead < 0 || ahead >= RING * BUCKET_US) {
      this.heap.add(ev);
      return;
    }
    const slot = (this.ringStart + Math.floor(ahead / BUCKET_US)) & (RING - 1);
    ev.next = this.ring[slot] as QueuedEvent | null;
    this.ring[slot] = ev;
    this.inRing++;
  }

  /** Moves the ring's first bucket into the heap (its cancelled events dropped) and the horizon
   * one bucket on. */
  private advanceRing(): void {
    const heap = this.heap;
    let ev = this.ring[this.ringStart] as QueuedEvent | null;
    this.ring[this.ringStart] = null;
    while (ev !== null) {
      const next = ev.next;
      ev.next = null;
      this.inRing--;
      if (ev.cancelled) this.discard(ev);
      else heap.add(ev);
      ev = next;
    }
    this.ringStart = (this.ringStart + 1) & (RING - 1);
    this.horizon += BUCKET_US;
  }

  /** With the ring empty, its horizon follows the clock (`now`, the time of the event just
   * popped) to the end of now's bucket, so that later events reach the ring again after an idle
   * stretch (or events only past its reach). */
  private followClock(now: Micros): void {
    if (this.inRing !== 0 || now < this.horizon) return;
    this.horizon = (Math.floor(now / BUCKET_US) + 1) * BUCKET_US;
    this.ringStart = 0;
  }

  /** A new lane (see Lane) for pushLane. */
  newLane(): number {
    this.lanes.push(new Lane());
    return this.lanes.length - 1;
  }

  /** Like push, through lane `lane` when `time` is not before the lane's last event (else the heap). */
  pushLane(lane: number, time: Micros, kind: string, subject: string, action: EventAction, target?: unknown): SimEvent {
    const l = this.lanes[lane] as Lane;
    if (time < l.lastTime) return this.push(time, kind, subject, action, target);
    l.lastTime = time;
    const ev = new QueuedEvent(time, this.nextSeq++, kind, subject, action, target, true);
    l.events.push(ev);
    this.live++;
    return ev;
  }

  /** Queues `ev` again at `time`, as pushLane would queue a new event (a new sequence number; the
   * heap when `time` is before the lane's last): a periodic timer reuses its one event object
   * instead of leaving one per period to the garbage collector. `ev` must have popped, not been
   * cancelled. */
  pushLaneAgain(lane: number, ev: SimEvent, time: Micros): SimEvent {
    if (!(ev instanceof QueuedEvent) || ev.pending || ev.cancelled) {
      throw new Error(`EventQueue.pushLaneAgain: only an event that ran can be queued again (kind=${ev.kind}, subject=${ev.subject})`);
    }
    const again = ev as { -readonly [K in keyof QueuedEvent]: QueuedEvent[K] };
    again.time = time;
    again.seq = this.nextSeq++;
    again.pending = true;
    this.live++;
    const l = this.lanes[lane] as Lane;
    if (time < l.lastTime) {
      again.inLane = false;
      this.insert(ev as QueuedEvent);
      return ev;
    }
    l.lastTime = time;
    again.inLane = true;
    l.events.push(ev);
    return ev;
  }

  /** Removes and returns the next live event, or undefined when there is none. */
  pop(): SimEvent | undefined {
    return this.popUntil(Number.POSITIVE_INFINITY);
  }

  /**
   * Removes and returns the next live event if its time is <= `limit`;
   * otherwise leaves the queue untouched (apart from discarding cancelled
   * events at the fronts) and returns undefined.
   */
  popUntil(limit: Micros): SimEvent | undefined {
    const ev = this.front();
    if (ev === undefined || ev.time > limit) return undefined;
    if (this.frontFrom < 0) pollClearing(this.heap);
    else (this.lanes[this.frontFrom] as Lane).shift();
    ev.pending = false;
    this.live--;
    this.followClock(ev.time);
    return ev;
  }

  /** Time of the next live event (discarding cancelled events at the fronts). */
  peekTime(): Micros | undefined {
    return this.front()?.time;
  }

  /** The earliest live event of the heap and the lanes, not removed; frontFrom says where. */
  private front(): QueuedEvent | undefined {
    const heap = this.heap;
    let best = heap.peek();
    for (;;) {
      while (best !== undefined && best.cancelled) {
        pollClearing(heap);
        this.discard(best);
        best = heap.peek();
      }
      // The heap's top is the earliest unless the ring holds events and the top is not before
      // the horizon (or there is none): then the ring's next bucket joins the heap.
      if (this.inRing === 0 || (best !== undefined && best.time < this.horizon)) break;
      this.advanceRing();
      best = heap.peek();
    }
    let from = -1;
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const l = lanes[i] as Lane;
      const ev = l.events[l.head];
      if (ev === undefined) continue;
      const head = ev.cancelled ? this.laneFront(l) : ev;
      if (head !== undefined && (best === undefined || before(head, best))) {
        best = head;
        from = i;
      }
    }
    this.frontFrom = from;
    return best;
  }

  /** A lane's first live event, counting the cancelled ones dropped on the way whose flag was
   * set directly (cancel() counted the others). */
  private laneFront(l: Lane): QueuedEvent | undefined {
    for (;;) {
      const ev = l.events[l.head];
      if (ev === undefined) return undefined;
      if (!ev.cancelled) return ev;
      l.head++;
      if (ev.pending) {
        ev.pending = false;
        this.live--;
      }
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
    if (ev.inLane) return; // dropped when it reaches its lane's front
    this.dead++;
    if (this.dead >= COMPACT_MIN_DEAD && this.dead > this.live) this.compact();
  }

  /** Bookkeeping for a cancelled event just removed from the top of the heap or dropped from the ring. */
  private discard(ev: QueuedEvent): void {
    if (ev.pending) {
      // Flag was set directly rather than through cancel(): count it now.
      ev.pending = false;
      this.live--;
    } else {
      this.dead--;
    }
  }

  /** Drops every cancelled event from the heap and the ring. Order of live events is unchanged (total order). */
  private compact(): void {
    const removed = this.heap.removeMany(isCancelled);
    for (let slot = 0; slot < RING; slot++) {
      let kept: QueuedEvent | null = null;
      let ev = this.ring[slot] as QueuedEvent | null;
      while (ev !== null) {
        const next = ev.next;
        if (ev.cancelled) {
          ev.next = null;
          this.inRing--;
          removed.push(ev);
        } else {
          ev.next = kept;
          kept = ev;
        }
        ev = next;
      }
      this.ring[slot] = kept;
    }
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
