import { EventQueue, type EventAction, type SimEvent } from './event-queue.js';
import { addTimeUs, MAX_SIM_TIME_US, type Micros } from './time.js';

/** How the clock's range is named in the engine's refusals. */
const RANGE = `the simulator's clock range, 0 to MAX_SIM_TIME_US = ${MAX_SIM_TIME_US} µs (about 285 years; callers saturate with addTimeUs)`;

/** See Simulation.orderedStream. */
export interface OrderedStream {
  scheduleAt(timeUs: Micros, kind: string, subject: string, action: () => void): SimEvent;
  /** Schedules an event of this stream that has run (and was not cancelled) again at `timeUs`,
   * as scheduleAt would schedule a new one with the same kind, subject and action; returns the
   * event now scheduled. A periodic timer keeps one event object, except while the simulation
   * has event hooks (onEvent, afterEvent): they see each run's event as it ran, so a new one is
   * made. */
  scheduleAgain(ev: SimEvent, timeUs: Micros): SimEvent;
}

export interface SimulationOptions {
  /** Called before each event's action runs (e.g. to write an events log). */
  onEvent?: (ev: SimEvent) => void;
  /** Called after each event's action (e.g. to check invariants). */
  afterEvent?: (ev: SimEvent) => void;
}

/**
 * Discrete-event simulation kernel: a clock plus an event queue. Knows nothing
 * about what the events mean. Deterministic: events run in (time, scheduling
 * order), and the clock never goes backwards.
 */
export class Simulation {
  private readonly queue = new EventQueue();
  /** The lane of events scheduled at the current time (delay 0): their times follow the clock,
   * which never goes back, so they arrive in order. */
  private readonly nowLane = this.queue.newLane();
  private readonly onEvent: ((ev: SimEvent) => void) | undefined;
  private readonly afterEvent: ((ev: SimEvent) => void) | undefined;
  private clock: Micros = 0;
  private processed = 0;
  private stopRequested = false;
  private running = false;

  constructor(options?: SimulationOptions) {
    this.onEvent = options?.onEvent;
    this.afterEvent = options?.afterEvent;
  }

  /** Current simulated time (µs). */
  get now(): Micros {
    return this.clock;
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  /** Number of live (non-cancelled) events still queued. */
  get pending(): number {
    return this.queue.size;
  }

  /** Time of the next live event, or undefined when idle. */
  nextEventTime(): Micros | undefined {
    return this.queue.peekTime();
  }

  /** Schedules `action` to run `delayUs` after now. `delayUs` must be an integer from 0 to
   * MAX_SIM_TIME_US; the event's time saturates at MAX_SIM_TIME_US (a delay that runs past the end
   * of the clock, e.g. a pod that runs for 250 years, means "never" within a run). `action` is
   * called with `target`: a timer kept for long (a pod's run) can then share one action among
   * all its targets instead of holding a closure of its own. */
  schedule(delayUs: Micros, kind: string, subject: string, action: () => void): SimEvent;
  schedule<T>(delayUs: Micros, kind: string, subject: string, action: (target: T) => void, target: T): SimEvent;
  schedule(delayUs: Micros, kind: string, subject: string, action: EventAction, target?: unknown): SimEvent {
    if (!(Number.isSafeInteger(delayUs) && delayUs >= 0)) {
      throw new Error(
        `Simulation.schedule: delay must be a non-negative integer number of microseconds, got ${String(delayUs)} (kind=${kind}, subject=${subject})`,
      );
    }
    if (delayUs === 0) return this.queue.pushLane(this.nowLane, this.clock, kind, subject, action, target);
    return this.queue.push(addTimeUs(this.clock, delayUs), kind, subject, action, target);
  }

  /** Schedules `action` at absolute time `timeUs`, an integer from now to MAX_SIM_TIME_US (with
   * `target` as schedule has it). */
  scheduleAt(timeUs: Micros, kind: string, subject: string, action: () => void): SimEvent;
  scheduleAt<T>(timeUs: Micros, kind: string, subject: string, action: (target: T) => void, target: T): SimEvent;
  scheduleAt(timeUs: Micros, kind: string, subject: string, action: EventAction, target?: unknown): SimEvent {
    this.checkTime(timeUs, kind, subject);
    if (timeUs === this.clock) return this.queue.pushLane(this.nowLane, timeUs, kind, subject, action, target);
    return this.queue.push(timeUs, kind, subject, action, target);
  }

  /** A stream of events its caller schedules in time order, each at or after the one before (a
   * watch's deliveries): they wait in a FIFO lane of the queue instead of its heap, and run in
   * exactly the order scheduleAt would give them. One scheduled before the stream's last still
   * runs at its time (through the heap). */
  orderedStream(): OrderedStream {
    const lane = this.queue.newLane();
    return {
      scheduleAt: (timeUs, kind, subject, action) => {
        this.checkTime(timeUs, kind, subject);
        return this.queue.pushLane(lane, timeUs, kind, subject, action);
      },
      scheduleAgain: (ev, timeUs) => {
        this.checkTime(timeUs, ev.kind, ev.subject);
        if (this.onEvent !== undefined || this.afterEvent !== undefined) return this.queue.pushLane(lane, timeUs, ev.kind, ev.subject, ev.action, ev.target);
        return this.queue.pushLaneAgain(lane, ev, timeUs);
      },
    };
  }

  private checkTime(timeUs: Micros, kind: string, subject: string): void {
    if (!(Number.isInteger(timeUs) && timeUs <= MAX_SIM_TIME_US)) {
      throw new Error(`Simulation.scheduleAt: time ${String(timeUs)} µs is not an integer within ${RANGE} (kind=${kind}, subject=${subject})`);
    }
    if (timeUs < this.clock) {
      throw new Error(
        `Simulation.scheduleAt: cannot schedule in the past: time ${timeUs} µs < now ${this.clock} µs (kind=${kind}, subject=${subject})`,
      );
    }
  }

  /** Cancels a scheduled event; a no-op if it already ran or was cancelled. */
  cancel(ev: SimEvent): void {
    this.queue.cancel(ev);
  }

  /** Runs the next event (advancing the clock to its time). Returns false if there is none. */
  step(): boolean {
    this.enter('step');
    try {
      const ev = this.queue.pop();
      if (ev === undefined) return false;
      this.execute(ev);
      return true;
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs events in order. With `untilUs`, runs only events with time <= untilUs
   * and then sets the clock to `untilUs` (the clock reaches the horizon even if
   * the queue ran dry earlier); later events stay queued. Without it, runs until
   * the queue is empty. If `stop()` is called, `maxEvents` events have run, or
   * `pause` (asked after each event) returns true, returns right after the
   * current event and leaves the clock at that event's time. Returns true when it
   * reached the horizon (or ran dry).
   */
  run(untilUs?: Micros, maxEvents = Number.POSITIVE_INFINITY, pause?: () => boolean): boolean {
    if (untilUs !== undefined) {
      if (!Number.isSafeInteger(untilUs)) {
        throw new Error(`Simulation.run: horizon must be an integer number of microseconds, got ${String(untilUs)}`);
      }
      if (untilUs < this.clock) {
        throw new Error(`Simulation.run: horizon ${untilUs} µs is before now ${this.clock} µs`);
      }
    }
    this.enter('run');
    this.stopRequested = false;
    try {
      const queue = this.queue;
      const limit = untilUs ?? Number.POSITIVE_INFINITY;
      const onEvent = this.onEvent;
      const afterEvent = this.afterEvent;
      let budget = maxEvents;
      for (;;) {
        if (budget-- <= 0) return false;
        const ev = queue.popUntil(limit);
        if (ev === undefined) break;
        this.clock = ev.time;
        this.processed++;
        if (onEvent !== undefined) onEvent(ev);
        ev.action(ev.target);
        if (afterEvent !== undefined) afterEvent(ev);
        if (this.stopRequested || (pause !== undefined && pause())) return false;
      }
      if (untilUs !== undefined) this.clock = untilUs;
      return true;
    } finally {
      this.running = false;
      this.stopRequested = false;
    }
  }

  /** Makes the current run() return after the event being executed. */
  stop(): void {
    this.stopRequested = true;
  }

  private execute(ev: SimEvent): void {
    this.clock = ev.time;
    this.processed++;
    if (this.onEvent !== undefined) this.onEvent(ev);
    ev.action(ev.target);
    if (this.afterEvent !== undefined) this.afterEvent(ev);
  }

  private enter(what: string): void {
    if (this.running) {
      throw new Error(`Simulation.${what}: called re-entrantly from inside an event action`);
    }
    this.running = true;
  }
}
