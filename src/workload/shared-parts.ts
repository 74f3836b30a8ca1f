// Equal parts of pod specs read from files, held once. A PodList of a million pods, or a cluster
// dump of the pods of a few ReplicaSets, repeats the same container list, tolerations and
// affinity in every pod: each parsed copy was about a third of a pending pod's memory (340 of
// ~1,000 bytes for a scheduler_perf pod). Parts are compared by value: by their JSON text, which
// is the same for the parts of pods written from one template (the keys in the same order), and
// by canonicalJson (keys sorted) when the text holds a null, which JSON also writes for NaN and
// the infinities. Parts equal but for their keys' order may so be held twice: only memory. The
// first one seen is kept and frozen (so that code changing a pod's part in place, which would
// change every pod holding it, fails at once) and later equal ones are replaced by it.
//
// Whole pod specs are remembered too, once validated, by their JSON text: a pod list written from
// one template repeats its spec in every pod, and checking it again was most of reading it.
import { canonicalJson, copyPlain, deepFreeze, isObject, sameJsonValue, setOwn } from '../api/values.js';

/** The pod spec fields whose values are shared: lists and mappings that pods of one workload
 * have in common and nothing changes after reading. */
const SHARED_FIELDS = ['containers', 'initContainers', 'tolerations', 'affinity', 'topologySpreadConstraints', 'nodeSelector', 'volumes', 'overhead', 'securityContext', 'imagePullSecrets'] as const;

/** At most this many distinct parts are kept for sharing: pods that differ (a generated list
 * with a request per pod) would otherwise keep one canonical text per pod while the files are
 * read. Parts first seen after that are not shared; those kept still are. */
export const MAX_KEPT_PARTS = 4096;

/** Specs longer than this (as JSON) are not remembered: a few large specs would hold megabytes. */
const MAX_SPEC_TEXT = 16_384;
/** Specs not found before the memo must pay for itself: from then on specs are keyed only while
 * at least one in three is found. */
const SPECS_ON_TRIAL = 256;

export class SharedSpecParts {
  private readonly seen = new Map<string, unknown>();
  /** Validated specs by specKey, their shared fields shared (see rememberSpec). */
  private readonly specs = new Map<string, Record<string, unknown>>();
  private specHits = 0;
  private specMisses = 0;

  constructor(private readonly maxKept = MAX_KEPT_PARTS) {}

  /** Replaces `spec`'s shared fields with equal values read before (the first of each is
   * frozen, deeply). `spec` itself stays the caller's, unfrozen. */
  share(spec: Record<string, unknown>): void {
    for (const field of SHARED_FIELDS) {
      const v = spec[field];
      if (typeof v !== 'object' || v === null) continue;
      // JSON.stringify: native, and no sorted key lists (canonicalJson was two thirds of what
      // loading 10,000 pods allocated).
      const text = JSON.stringify(v);
      const key = text.includes('null') ? `${field}\u0000c${canonicalJson(v)}` : `${field}\u0000j${text}`;
      const kept = this.seen.get(key);
      if (kept !== undefined) spec[field] = kept;
      else if (this.seen.size < this.maxKept) this.seen.set(key, deepFreeze(v));
    }
  }

  /** The key under which a pod spec is remembered: the reading mode and the spec's JSON text;
   * undefined when the text cannot stand for the spec (it holds a null, which JSON also writes
   * for NaN and the infinities) or is too long to keep. Equal keys mean equal specs, so a spec
   * valid under one is valid under the other, with the same (no) warnings. Undefined too once
   * specs are seldom found again (pods that differ, such as a DaemonSet's, one per node, or a
   * cluster dump's, each with its node and volumes): their texts and copies would then be made
   * and kept for nothing. */
  specKey(spec: unknown, mode: string): string | undefined {
    if (!isObject(spec) || (this.specMisses >= SPECS_ON_TRIAL && 2 * this.specHits < this.specMisses)) return undefined;
    // A pod list mostly repeats the spec of the pod before: a spec equal to that one, keys in the
    // same order, has the same JSON text, so its key (the same string, its hash known) is found
    // by a walk of the two values instead of writing the text out again (the text and its hash
    // were most of the time to read a known spec).
    if (this.lastSpec !== null && mode === this.lastMode && sameJsonValue(spec, this.lastSpec)) return this.lastKey;
    const text = JSON.stringify(spec);
    const key = text.length > MAX_SPEC_TEXT || text.includes('null') ? undefined : `${mode}\u0000${text}`;
    // A copy: the caller's spec may be changed after (the copy costs about what the text did).
    this.lastSpec = copyPlain(spec);
    this.lastMode = mode;
    this.lastKey = key;
    return key;
  }

  /** A copy of the spec last given to specKey whose text was written out, its mode and key. */
  private lastSpec: Record<string, unknown> | null = null;
  private lastMode = '';
  private lastKey: string | undefined = undefined;

  /** A copy of the spec remembered under `key` (a new object; its shared parts shared), or
   * undefined. */
  knownSpec(key: string): Record<string, unknown> | undefined {
    const kept = this.specs.get(key);
    if (kept === undefined) {
      this.specMisses++;
      return undefined;
    }
    this.specHits++;
    return copySpec(kept);
  }

  /** Remembers `spec` (validated, warned about nothing, its parts shared) under `key`. */
  rememberSpec(key: string, spec: Record<string, unknown>): void {
    if (this.specs.size < this.maxKept) this.specs.set(key, copySpec(spec));
  }

  /** Specs remembered (for tests). */
  get specCount(): number {
    return this.specs.size;
  }

  /** Distinct parts held (for tests). */
  get size(): number {
    return this.seen.size;
  }
}

/** A new spec object: shared (frozen) parts by reference, everything else copied, keys in order
 * (the run writes nodeName and priority into a pod's own spec). */
export function copySpec(spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in spec) {
    if (!Object.hasOwn(spec, k)) continue;
    const v = spec[k];
    setOwn(out, k, typeof v === 'object' && v !== null && Object.isFrozen(v) ? v : copyPlain(v));
  }
  return out;
}
