// The scenario's `faults:` section: scheduled node crashes, zone outages, network partitions of
// nodes from the control plane, etcd leader losses, random node failures (per-node MTBF / MTTR
// distributions drawn from the seeded stream "faults") and kubelet flaps (lease renewals stop
// and resume every `period`). Targets are checked against the
// scenario's nodes; errors name the file, line, column and field path.
import { formatDuration, parseDuration } from '../api/duration.js';
import { located, type YamlDoc } from '../api/yaml-source.js';
import { ZONE_LABEL } from '../cluster/node-info.js';
import type { ScenarioNode } from '../workload/scenario.js';
import { distributionMean, sampleNonNegativeInt, type Distribution } from '../engine/distributions.js';
import type { RandomStream } from '../engine/random.js';
import { parseDurationDistribution } from '../workload/distribution-spec.js';

export type FaultKind = 'nodeDown' | 'zoneOutage' | 'partition' | 'etcdLeaderLoss' | 'random' | 'kubeletFlap';

export interface FaultSpec {
  /** f1, f2, ... in scenario order. */
  readonly id: string;
  readonly kind: FaultKind;
  /** What the user named: node names joined by ";", "pool=<name>", "zone=<name>", or "etcd". */
  readonly target: string;
  /** Nodes hit (empty for etcdLeaderLoss). */
  readonly nodes: readonly string[];
  readonly atUs: number;
  /** null: forever (etcdLeaderLoss ends with the election). */
  readonly forUs: number | null;
  /** random: time between failures of each node (from its start or its last repair) and the
   * repair time. Expanded by expandRandomFaults into one fault per failure. */
  readonly random?: { readonly mtbf: Distribution; readonly mttr: Distribution };
  /** kubeletFlap: the cycle; renewals stop for the first half of each period, resume for the
   * second half. */
  readonly periodUs?: number;
}

type Obj = Record<string, unknown>;

/** Reads `faults` (already checked against the JSON Schema); with `end`, warns about faults that
 * start at or after the end of the run (they never happen). */
export function readFaults(doc: YamlDoc, raw: unknown, nodes: readonly ScenarioNode[], end?: { readonly durationUs: number; readonly warnings: string[] }): FaultSpec[] {
  const list = (raw ?? []) as Obj[];
  const names = new Set(nodes.map((n) => n.node.metadata?.name as string));
  return list.map((entry, i) => {
    const kind = Object.keys(entry)[0] as FaultKind;
    const body = entry[kind] as Obj;
    const path = ['faults', i, kind];
    const atUs = located(doc, [...path, 'at'], () => parseDuration((body['at'] ?? (kind === 'random' ? '0s' : undefined)) as string));
    if (end !== undefined && atUs >= end.durationUs) {
      end.warnings.push(doc.warning([...path, 'at'], `starts at ${formatDuration(atUs)}, at or after the end of the run (duration ${formatDuration(end.durationUs)}); it never happens`));
    }
    const id = `f${i + 1}`;
    if (kind === 'etcdLeaderLoss') return { id, kind, target: 'etcd', nodes: [], atUs, forUs: null };
    if (kind === 'random') {
      const dist = (field: string): Distribution => {
        const d = located(doc, [...path, field], () => parseDurationDistribution(body[field]));
        if (!(distributionMean(d) > 0)) throw doc.error([...path, field], 'a distribution with a positive mean', JSON.stringify(body[field]));
        return d;
      };
      const random = { mtbf: dist('mtbf'), mttr: dist('mttr') };
      const { target, hit } = targetNodes(doc, path, body, names, nodes);
      return { id, kind, target, nodes: hit, atUs, forUs: null, random };
    }
    const f = body['for'] as string | undefined;
    const forUs = f === undefined || f === 'forever' ? null : located(doc, [...path, 'for'], () => parseDuration(f));
    if (forUs !== null && forUs <= 0) throw doc.error([...path, 'for'], 'a positive duration or "forever"', JSON.stringify(f));
    if (kind === 'zoneOutage') {
      const zone = body['zone'] as string;
      const hit = nodes.filter((n) => n.node.metadata?.labels?.[ZONE_LABEL] === zone).map((n) => n.node.metadata?.name as string);
      if (hit.length === 0) throw doc.error([...path, 'zone'], 'a zone some node is in', JSON.stringify(zone));
      return { id, kind, target: `zone=${zone}`, nodes: hit, atUs, forUs };
    }
    const { target, hit } = targetNodes(doc, path, body, names, nodes);
    if (kind === 'kubeletFlap') {
      if (forUs === null) throw doc.error([...path, 'for'], 'a positive duration (a flap must end)', JSON.stringify(f ?? 'forever'));
      const periodUs = located(doc, [...path, 'period'], () => parseDuration(body['period'] as string));
      if (periodUs < 2) throw doc.error([...path, 'period'], 'a positive duration', JSON.stringify(body['period']));
      return { id, kind, target, nodes: hit, atUs, forUs, periodUs };
    }
    return { id, kind, target, nodes: hit, atUs, forUs };
  });
}

function targetNodes(doc: YamlDoc, path: (string | number)[], body: Obj, names: ReadonlySet<string>, nodes: readonly ScenarioNode[]): { target: string; hit: string[] } {
  const hasNodes = body['nodes'] !== undefined;
  const hasPool = body['pool'] !== undefined;
  if (hasNodes === hasPool) throw doc.error(path, 'exactly one of nodes or pool');
  if (hasPool) {
    const pool = body['pool'] as string;
    const hit = nodes.filter((n) => n.pool === pool).map((n) => n.node.metadata?.name as string);
    if (hit.length === 0) throw doc.error([...path, 'pool'], 'the name of a node pool', JSON.stringify(pool));
    return { target: `pool=${pool}`, hit };
  }
  const given = body['nodes'] as string[];
  given.forEach((n, j) => {
    if (!names.has(n)) throw doc.error([...path, 'nodes', j], 'the name of a node of the cluster', JSON.stringify(n));
  });
  return { target: given.join(';'), hit: [...new Set(given)] };
}

/**
 * Replaces each `random` fault by its failures: every node of the target, in order, draws from
 * stream "faults" its time to failure (mtbf, from `at` or its last repair) then its repair time
 * (mttr), until `endUs`. Failure k of fault fN (ordered by time, then node order) becomes fault
 * `fN.k` of kind random on that node, lasting its repair time. Other faults are kept as they are.
 */
export function expandRandomFaults(specs: readonly FaultSpec[], rng: RandomStream, endUs: number): FaultSpec[] {
  const out: FaultSpec[] = [];
  for (const f of specs) {
    if (f.random === undefined) {
      out.push(f);
      continue;
    }
    const failures: { atUs: number; forUs: number; node: string; order: number }[] = [];
    f.nodes.forEach((node, order) => {
      let t = f.atUs;
      for (;;) {
        t += Math.max(1, sampleNonNegativeInt(f.random!.mtbf, rng));
        if (t >= endUs) break;
        const d = Math.max(1, sampleNonNegativeInt(f.random!.mttr, rng));
        failures.push({ atUs: t, forUs: d, node, order });
        t += d;
      }
    });
    failures.sort((a, b) => a.atUs - b.atUs || a.order - b.order);
    failures.forEach((x, k) => out.push({ id: `${f.id}.${k + 1}`, kind: 'random', target: x.node, nodes: [x.node], atUs: x.atUs, forUs: x.forUs }));
  }
  return out;
}
