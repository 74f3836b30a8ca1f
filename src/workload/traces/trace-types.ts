// What trace readers produce, and the registry shape of a trace format.
import type { Node, Toleration, Affinity } from 'kubernetes-types/core/v1.js';
import type { WorkloadObject } from '../../cluster/workload-object.js';
import type { FaultSpec } from '../../faults/spec.js';
import { InputError } from '../../api/input-error.js';
import type { RandomStream } from '../../engine/random.js';
import type { ClusterState } from '../../cluster/cluster-state.js';

/** One malformed row: where, which column, what was expected. The replay turns it into an
 * InputError naming the file (onError: stop) or counts it (onError: skip). */
export class TraceRowError extends Error {
  constructor(
    readonly line: number,
    /** 1-based column (field number), 0 when the whole row is wrong. */
    readonly column: number,
    /** Column name, "" for the whole row. */
    readonly field: string,
    readonly expected: string,
    readonly got?: string,
    /** The reader cannot go on after it (e.g. broken CSV quoting): skipping is impossible. */
    readonly fatal = false,
  ) {
    super(`line ${line}: ${field === '' ? '' : `${field}: `}expected ${expected}${got === undefined ? '' : `, got ${got}`}`);
    this.name = 'TraceRowError';
  }
}

/** The InputError of a row of `file` (a whole-row problem is reported at the row's column 1). */
export function rowInputError(file: string, e: TraceRowError): InputError {
  return new InputError(file, e.line, e.line > 0 ? Math.max(1, e.column) : 0, e.field, e.expected, e.got);
}

/** A pod (or, with count > 1, a set of identical pods) a trace row asks for. */
export interface TracePod {
  readonly name: string;
  readonly namespace?: string;
  /** Kubernetes resource name → quantity (already validated). */
  readonly requests: Readonly<Record<string, string>>;
  /** Also set as limits (Guaranteed QoS). Extended resources always get limits = requests. */
  readonly guaranteed?: boolean;
  /** Seconds from the pod's start to its completion (trace clock); null: runs until deleted or the end. */
  readonly durationS: number | null;
  /** Trace time (s) at which the pod is deleted; null: never. */
  readonly deleteAtS: number | null;
  /** Trace time (s) at which the pod is deleted if it has not been placed by then (a replay
   * without retries, e.g. the FGD paper's); absent: never. */
  readonly giveUpAtS?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly priorityClassName?: string;
  readonly affinity?: Affinity;
  /** Identical pods (instances); default 1. As bare pods they are named <name>-<i>; as a Job
   * they are its parallelism and completions. */
  readonly count?: number;
}

/** Where a row's time is, for the replay's out-of-order error (found only then): the field and
 * its 1-based column, and its line when that is not the row's (a YAML event's `at`). */
export interface TimeCell {
  readonly field: string;
  readonly column: number;
  readonly line?: number;
}

/** One row of a trace, in trace time. `timeAt` says where its time is (readers of files that
 * must be in time order give it). A `leftOut` row is well formed but has nothing to replay
 * (an SWF job whose run time is unknown): the replay counts it as filtered and warns once per
 * `reason` ("job(s) with ...") with the first one's place. */
export type TraceItem =
  | { readonly kind: 'pod'; readonly timeS: number; readonly line: number; readonly timeAt?: () => TimeCell; readonly pod: TracePod }
  | { readonly kind: 'leftOut'; readonly timeS: number; readonly line: number; readonly timeAt?: () => TimeCell; readonly column: number; readonly reason: string }
  | { readonly kind: 'apply'; readonly timeS: number; readonly line: number; readonly timeAt?: () => TimeCell; readonly object: WorkloadObject | Node; readonly warnings?: readonly string[]; readonly notes?: readonly string[] }
  | { readonly kind: 'delete'; readonly timeS: number; readonly line: number; readonly timeAt?: () => TimeCell; readonly object: { readonly kind: string; readonly namespace: string; readonly name: string } };

/** A stream of trace items in time order (a reader of a file that is not in time order orders
 * it itself, e.g. alibaba-2017's task table). next() throws TraceRowError for a malformed row; the
 * caller may call next() again to go on with the following row (unless the error is fatal). */
export interface TraceReader {
  next(): TraceItem | null;
  close(): void;
  /** A reader that builds its replay from the whole file (the FGD replay): what it did to the
   * file's rows, so that run.json's `rows` are the rows read, not the pods replayed. */
  readonly replay?: ReplayCounts;
  /** With `replay`: items not handed out yet (next() not called for them). */
  remaining?(): number;
}

/** The FGD replay's counts (fgd-replay.ts fgdOrder): the file's data rows, those its tune-down
 * dropped at random, the copies its top-up added, and the GPU sums (milli) behind them. */
export interface ReplayCounts {
  readonly rows: number;
  readonly tunedDown: number;
  readonly toppedUp: number;
  /** Σ GPU request of the rows as read, the capacity, and topUp × capacity. */
  readonly rowsGpuMilli: number;
  readonly capacityGpuMilli: number;
  readonly targetGpuMilli: number;
  readonly topUp: number;
}

/** The cluster a trace describes (cluster.trace): nodes and the faults of its machine events. */
export interface TraceCluster {
  readonly nodes: readonly { readonly node: Node; readonly joinAtS: number }[];
  /** Faults without ids (the loader numbers them after the scenario's own). */
  readonly faults: readonly Omit<FaultSpec, 'id'>[];
  /** What the run warns about the file (events not replayed), each once with its count. */
  readonly warnings?: readonly string[];
}

/** What a replay gives the format when it opens the pods (TraceFormat.openPods). */
export interface ReplayContext {
  /** The entry's stream (trace/<entry>). */
  readonly rng: RandomStream;
  /** The cluster with its start-state nodes. */
  readonly cluster: ClusterState;
}

/** Format options (`map:`), read and defaulted by the format. */
export type FormatOptions = Readonly<Record<string, unknown>>;

export interface MapOption {
  readonly description: string;
  readonly default: string | number | boolean | readonly string[];
  /** Checks a user value; returns what was expected when it is wrong. */
  check(v: unknown): string | null;
}

export interface TraceFormat {
  readonly name: string;
  /** What the format maps to (README formats table). */
  readonly summary: string;
  /** The run's warning (after the file's name) when the file holds nothing to replay. */
  readonly noRows: string;
  /** `map:` options with their defaults. */
  readonly options: Readonly<Record<string, MapOption>>;
  /** Opens the workload part. Checks the header at once (throws TraceRowError at line 1).
   * `ctx` is given when the replay runs (not when the scenario is only checked): the entry's
   * seeded stream and the cluster at the start, for formats that reorder or size their rows. */
  openPods?(path: string, display: string, opts: FormatOptions, ctx?: ReplayContext): TraceReader;
  /** Reads the cluster part (cluster.trace). */
  readCluster?(path: string, display: string, opts: FormatOptions): TraceCluster;
}
