// Simulated time a scheduling cycle takes. Upstream's scheduler_perf SchedulingBasic on 5,000
// nodes (4 CPU, 32Gi; pods 100m/500Mi) has a throughput floor of 680 pods/s
// (test/integration/scheduler_perf/misc/performance-config.yaml); with the default profile a
// cycle there filters ~500 nodes through ~10 filter plugins and scores them with ~7 score
// plugins, which these constants put at ~1.3 ms (≈ 770 pods/s).
export interface CycleCostModel {
  readonly baseUs: number;
  readonly perFilterCallUs: number;
  readonly perScoreCallUs: number;
}

export const DEFAULT_CYCLE_COST: CycleCostModel = { baseUs: 100, perFilterCallUs: 0.1, perScoreCallUs: 0.2 };

export function cycleCostUs(m: CycleCostModel, filterCalls: number, scoreCalls: number): number {
  return Math.round(m.baseUs + m.perFilterCallUs * filterCalls + m.perScoreCallUs * scoreCalls);
}
