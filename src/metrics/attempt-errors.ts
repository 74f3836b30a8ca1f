// A run whose every scheduling attempt ended in an Error (a plugin that errs on every pod)
// scheduled nothing, yet exits 0 with a normal-looking summary: a CI gate would pass it. This
// counts the attempts as they end and says so at the end of the run.
import { formatDuration } from '../api/duration.js';
import type { AttemptRecord } from '../scheduler/scheduler.js';

/** The first attempt that ended in an error. */
export interface FirstError {
  readonly timeUs: number;
  readonly pod: string;
  readonly plugin: string;
  readonly reason: string;
}

export class AttemptErrors {
  /** Attempts that ended (placements.csv's attempt rows) and those that ended in an error. */
  ended = 0;
  erred = 0;
  first: FirstError | null = null;

  attempt(r: AttemptRecord): void {
    this.ended++;
    if (r.result !== 'error') return;
    this.erred++;
    this.first ??= { timeUs: r.timeUs, pod: r.pod.key, plugin: r.plugin ?? '', reason: r.reason };
  }

  /** The warning when every attempt (at least one) ended in an error; else none. */
  warnings(): string[] {
    const f = this.first;
    if (f === null || this.erred !== this.ended) return [];
    const n = this.ended.toLocaleString('en-US');
    return [`${n} of ${n} scheduling attempts ended in an error, so the scheduler bound no pod; the first (pod ${f.pod}, at ${formatDuration(f.timeUs)})${f.plugin === '' ? '' : ` from plugin ${f.plugin}`}: ${f.reason}`];
  }
}
