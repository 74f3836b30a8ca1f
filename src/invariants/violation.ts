// A broken simulation invariant: a bug in ksim, never bad input. Carries when and where.

export class InvariantViolation extends Error {
  constructor(
    /** Name of the invariant, e.g. "node-capacity". */
    readonly invariant: string,
    /** Simulated time of the check, µs. */
    readonly timeUs: number,
    /** The event after which the check failed ("kind subject #seq"), or "" for end-of-run checks. */
    readonly event: string,
    /** What is wrong, naming the objects involved. */
    readonly detail: string,
  ) {
    super(`invariant ${invariant} broken at ${(timeUs / 1e6).toFixed(6)} s${event === '' ? '' : ` after event ${event}`}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}
