// A v1 Node for a machine of a trace's machine list (labels as a kubelet sets them, plus the
// pool label ksim uses for nodes.csv).
import { merged } from '../../api/values.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { HOSTNAME_LABEL } from '../../cluster/node-info.js';
import { DEFAULT_MAX_PODS } from '../manifests.js';

export const TRACE_POOL_LABEL = 'ksim.io/pool';

export function traceNode(name: string, pool: string, allocatable: Record<string, string>, labels: Record<string, string> = {}): Node {
  const alloc = { ...allocatable, pods: String(DEFAULT_MAX_PODS) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: merged(labels, { [HOSTNAME_LABEL]: name, [TRACE_POOL_LABEL]: pool }) },
    spec: {},
    status: { allocatable: alloc, capacity: { ...alloc } },
  };
}
