/** One measured figure from a benchmark suite. */
export interface BenchRow {
  name: string;
  metric: string;
  value: number;
  unit: string;
}
