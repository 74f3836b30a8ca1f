// Equal parts of pod specs read from files, held once. A PodList of a million pods, or a cluster
// dump of the pods of a few ReplicaSets, repeats the same container list, tolerations and
// affinity in every pod: each parsed copy was about a third of a pending pod's memory (340 of
// ~1,000 bytes for a scheduler_perf pod). Parts are compared by value (canonicalJson, so key
// order does not matter); the first one seen is kept and frozen (so that code changing a pod's
// part in place, which would change every pod holding it, fails at once) and later equal ones
// are replaced by it.
import { canonicalJson } from '../api/values.js';

/** The pod spec fields whose values are shared: lists and mappings that pods of one workload
 * have in common and nothing changes after reading. */
const SHARED_FIELDS = ['containers', 'initContainers', 'tolerations', 'affinity', 'topologySpreadConstraints', 'nodeSelector', 'volumes', 'overhead', 'securityContext', 'imagePullSecrets'] as const;

/** At most this many distinct parts are kept for sharing: pods that differ (a generated list
 * with a request per pod) would otherwise keep one canonical text per pod while the files are
 * read. Parts first seen after that are not shared; those kept still are. */
export const MAX_KEPT_PARTS = 4096;

export class SharedSpecParts {
  private readonly seen = new Map<string, unknown>();

  constructor(private readonly maxKept = MAX_KEPT_PARTS) {}

  /** Replaces `spec`'s shared fields with equal values read before (the first of each is
   * frozen, deeply). `spec` itself stays the caller's, unfrozen. */
  share(spec: Record<string, unknown>): void {
    for (const field of SHARED_FIELDS) {
      const v = spec[field];
      if (typeof v !== 'object' || v === null) continue;
      const key = `${field}\u0000${canonicalJson(v)}`;
      const kept = this.seen.get(key);
      if (kept !== undefined) spec[field] = kept;
      else if (this.seen.size < this.maxKept) this.seen.set(key, deepFreeze(v));
    }
  }

  /** Distinct parts held (for tests). */
  get size(): number {
    return this.seen.size;
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}
