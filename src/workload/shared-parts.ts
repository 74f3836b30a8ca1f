// Equal parts of pod specs read from files, held once. A PodList of a million pods, or a cluster
// dump of the pods of a few ReplicaSets, repeats the same container list, tolerations and
// affinity in every pod: each parsed copy was about a third of a pending pod's memory (340 of
// ~1,000 bytes for a scheduler_perf pod). Parts are compared by value; the first one seen is kept
// and frozen (so that code changing a pod's part in place, which would change every pod holding
// it, fails at once) and later equal ones are replaced by it.

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
      const text = canonical(v);
      if (text === null) continue;
      const key = `${field}\u0000${text}`;
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

/** A text that is equal for two parsed values exactly when they are equal: type-tagged, keys in
 * their order (parts whose keys come in another order are kept apart, which only costs sharing).
 * null for a value parsed YAML and JSON cannot hold (such a part is never shared). */
export function canonical(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      // NaN and the infinities (YAML's .nan, .inf) stay apart from null, unlike in JSON.
      return Number.isFinite(v) ? String(v) : `#${String(v)}`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      const proto = Object.getPrototypeOf(v);
      if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return null; // not a plain mapping
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) {
          const c = canonical(v[i]);
          if (c === null) return null;
          s += (i > 0 ? ',' : '') + c;
        }
        return `${s}]`;
      }
      let s = '{';
      let first = true;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        const c = canonical((v as Record<string, unknown>)[k]);
        if (c === null) return null;
        s += `${first ? '' : ','}${JSON.stringify(k)}:${c}`;
        first = false;
      }
      return `${s}}`;
    }
    default:
      return null;
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}
