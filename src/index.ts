// ksim's public library API. The CLI is a thin layer over exactly these functions.
export { loadScenario, parseScenario, type Scenario, type WorkloadEntry, type LoadOptions } from './workload/scenario.js';
export { hashScenarioInputs, type ScenarioInputs, type HashedInput, type InputFile } from './workload/scenario-inputs.js';
export { runScenario, SUMMARY_COLUMNS, type RunOptions, type RunResult } from './run/run-scenario.js';
export { explainFiles, type ExplainFilesOptions } from './run/explain-files.js';
export { podCapacity, snapshotScenario, type PodCapacity, type PodCapacityOptions } from './capacity/pod-capacity.js';
export { fitCopies, type FitResult, type NodeFit } from './capacity/fit.js';
export { nodesFor, parseTolerance, type NodesForOptions, type NodesForResult, type Probe, type Tolerance } from './capacity/nodes-for.js';
export { parseTarget, parseTargets, type Target } from './capacity/target.js';
export { sequentialRunner, poolRunner, type ProbeRunner, type ProbeTask, type SummaryRow } from './capacity/probe-runner.js';
export { explain, type ExplainResult, type ExplainDaemonSet, type ExplainNode, type ExplainScore, type ExplainStatus } from './scheduler/explain.js';
export { loadPluginModules, type PluginModule } from './scheduler/plugin-modules.js';
export { inTreeRegistry } from './scheduler/plugins/registry.js';
export {
  defaultSchedulerConfig,
  defaultProfileConfig,
  readSchedulerConfiguration,
  type SchedulerConfig,
} from './scheduler/config/kube-scheduler-configuration.js';
export { toCsv, writeOutputsAtomically, formatRow, MemorySink, NULL_SINK, OutputFolder, CsvFileSink, type Table, type RowSink } from './metrics/csv-output.js';
export { SCHEMAS, columnsOf, columnNames, type Column, type ColumnType, type Cell, type TypedRow, type OutputFileName, type SummaryColumn, type SummaryValues } from './metrics/schema.js';
export { InputError } from './api/input-error.js';
export { renderReport, writeReport, REPORT_FILE, type ReportKind } from './report/report.js';
export { TRACE_FORMATS } from './workload/traces/registry.js';
export type { TraceStats } from './workload/traces/trace-replay.js';
export type { TraceFormat, TraceItem, TracePod, TraceReader } from './workload/traces/trace-types.js';
export { InvariantViolation } from './invariants/violation.js';
export { FieldError } from './api/field-error.js';
export { parseQuantity, parseMilli, parseInteger } from './api/quantity.js';
export { parseDuration, formatDuration } from './api/duration.js';
export { compileLabelSelector, compileNodeSelector } from './api/labels.js';
export { Simulation } from './engine/simulation.js';
export { RandomStreams, type RandomStream } from './engine/random.js';
export type { Distribution } from './engine/distributions.js';
export { ClusterState } from './cluster/cluster-state.js';
export { NodeInfo } from './cluster/node-info.js';
export { PodInfo } from './cluster/pod-info.js';
export { Resource } from './cluster/resources.js';
// Scheduler framework: what a plugin author implements and uses.
export { Status, Code, type Verdict } from './scheduler/framework/status.js';
export { CycleState } from './scheduler/framework/cycle-state.js';
export { MAX_NODE_SCORE, MIN_NODE_SCORE } from './scheduler/framework/interfaces.js';
export type * from './scheduler/framework/interfaces.js';
export { ActionType, type ClusterEvent, type ClusterEventWithHint, type EnqueueExtensions, type QueueingHint, type QueueingHintFn, type NodeView } from './scheduler/framework/events.js';
export { Framework, ProfileError, EXTENSION_POINTS, type ProfileConfig, type PluginRef, type PluginSet, type ExtensionPoint } from './scheduler/framework/framework.js';
export { KSIM_VERSION } from './version.js';
export { runPool, defaultWorkers, type RunTask, type RunTaskOptions, type RunTaskResult, type PoolOptions } from './sweep/pool.js';
export { runSweep, type SweepOptions, type SweepResult, type SweepProgress, type SweepManifest } from './sweep/sweep.js';
export { parseSeeds, parseMatrix, parseShard, planRuns, shardRuns, type MatrixAxis, type PlannedRun, type Shard } from './sweep/plan.js';
export { mergeSweeps, type MergeResult } from './sweep/merge.js';
export { compare, parseFailOn, METRICS as COMPARE_METRICS, type CompareOptions, type CompareResult, type MetricComparison, type PlacementDiff, type SweepTest, type CellTest } from './sweep/compare.js';
export { indexedJob, indexedJobYaml, type JobOptions } from './sweep/job.js';
