// Plugin verdicts as values, with upstream's codes (pkg/scheduler/framework/interface.go).
// `null` stands for Success on hot paths so a passing filter allocates nothing.

/** Upstream's status codes. A runtime object (not a `const enum`, which the compiler erases), so
 * that JavaScript plugin modules can read `Code.Unschedulable` from the package too. */
export const Code = {
  Success: 0,
  Error: 1,
  Unschedulable: 2,
  UnschedulableAndUnresolvable: 3,
  Wait: 4,
  Skip: 5,
  Pending: 6,
} as const;

/** One of Code's values. */
export type Code = (typeof Code)[keyof typeof Code];

export const CODE_NAMES: readonly string[] = [
  'Success',
  'Error',
  'Unschedulable',
  'UnschedulableAndUnresolvable',
  'Wait',
  'Skip',
  'Pending',
];

export class Status {
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** The plugin that produced it (set by the framework). */
    readonly plugin = '',
  ) {}

  get codeName(): string {
    return CODE_NAMES[this.code] as string;
  }

  get message(): string {
    return this.reasons.join(', ');
  }

  isRejection(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  withPlugin(plugin: string): Status {
    return this.plugin === plugin ? this : new Status(this.code, this.reasons, plugin);
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static error(reason: string): Status {
    return new Status(Code.Error, [reason]);
  }

  static skip(): Status {
    return SKIP;
  }
}

const SKIP = new Status(Code.Skip);

/** Success is `null`; anything else is a Status. */
export type Verdict = Status | null;

export function isSuccess(v: Verdict): v is null {
  return v === null || v.code === Code.Success;
}
