// The scenario's `faults:` section: scheduled node crashes, zone outages, network partitions of
// nodes from the control plane, and etcd leader losses. Targets are checked against the
// scenario's nodes; errors name the file, line, column and field path.
import { parseDuration } from '../api/duration.js';
import { located, type YamlDoc } from '../api/yaml-source.js';
import { ZONE_LABEL } from '../cluster/node-info.js';
import type { ScenarioNode } from '../workload/scenario.js';

export type FaultKind = 'nodeDown' | 'zoneOutage' | 'partition' | 'etcdLeaderLoss';

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
}

type Obj = Record<string, unknown>;

/** Reads `faults` (already checked against the JSON Schema). */
export function readFaults(doc: YamlDoc, raw: unknown, nodes: readonly ScenarioNode[]): FaultSpec[] {
  const list = (raw ?? []) as Obj[];
  const names = new Set(nodes.map((n) => n.node.metadata?.name as string));
  return list.map((entry, i) => {
    const kind = Object.keys(entry)[0] as FaultKind;
    const body = entry[kind] as Obj;
    const path = ['faults', i, kind];
    const atUs = located(doc, [...path, 'at'], () => parseDuration(body['at'] as string));
    const id = `f${i + 1}`;
    if (kind === 'etcdLeaderLoss') return { id, kind, target: 'etcd', nodes: [], atUs, forUs: null };
    const f = body['for'] as string | undefined;
    const forUs = f === undefined || f === 'forever' ? null : located(doc, [...path, 'for'], () => parseDuration(f));
    if (forUs !== null && forUs <= 0) throw doc.error([...path, 'for'], 'a positive duration or "forever"', JSON.stringify(f));
    if (kind === 'zoneOutage') {
      const zone = body['zone'] as string;
      const hit = nodes.filter((n) => n.node.metadata?.labels?.[ZONE_LABEL] === zone).map((n) => n.node.metadata?.name as string);
      if (hit.length === 0) throw doc.error([...path, 'zone'], 'a zone some node is in', JSON.stringify(zone));
      return { id, kind, target: `zone=${zone}`, nodes: hit, atUs, forUs };
    }
    const hasNodes = body['nodes'] !== undefined;
    const hasPool = body['pool'] !== undefined;
    if (hasNodes === hasPool) throw doc.error(path, 'exactly one of nodes or pool');
    if (hasPool) {
      const pool = body['pool'] as string;
      const hit = nodes.filter((n) => n.pool === pool).map((n) => n.node.metadata?.name as string);
      if (hit.length === 0) throw doc.error([...path, 'pool'], 'the name of a node pool', JSON.stringify(pool));
      return { id, kind, target: `pool=${pool}`, nodes: hit, atUs, forUs };
    }
    const given = body['nodes'] as string[];
    given.forEach((n, j) => {
      if (!names.has(n)) throw doc.error([...path, 'nodes', j], 'the name of a node of the cluster', JSON.stringify(n));
    });
    return { id, kind, target: given.join(';'), nodes: [...new Set(given)], atUs, forUs };
  });
}
