// What an update of a Pod may change in its spec (upstream pkg/apis/core/validation/validation.go
// ValidatePodUpdate): the containers' and init containers' images, activeDeadlineSeconds (set,
// or lowered), tolerations (additions only), schedulingGates (removals only) and
// terminationGracePeriodSeconds (to 1 when it was negative). Anything else is refused as
// `spec: Forbidden: pod updates may not change fields other than ...`. Metadata (labels,
// annotations) may change freely. Specs are compared as decoded JSON (apiequality's semantic
// equality over the fields given).
import type { JsonObject } from './three-way-merge.js';
import { isObject } from './values.js';

/** upstream updatablePodSpecFields, joined with "," as the message joins them. */
export const POD_UPDATE_FORBIDDEN = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Equal as the API compares decoded specs: an absent key and an empty value are the same
 * (omitempty), so a spec as stored (with admission's defaults) and as given compare field by field. */
function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    // An absent key and an empty value are the same to the API (omitempty).
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!semanticEqual(a[k] ?? undefined, b[k] ?? undefined) && !(isEmpty(a[k]) && isEmpty(b[k]))) return false;
    return true;
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function list(v: unknown): JsonObject[] {
  return Array.isArray(v) ? (v as JsonObject[]) : [];
}

/** Why the API server refuses changing a pod's spec from `old` to `next` (ValidatePodUpdate's
 * first error, as its message reads), or null when the update is valid. */
export function podSpecUpdateRefusal(old: JsonObject, next: JsonObject): string | null {
  for (const f of ['containers', 'initContainers'] as const) {
    // ValidateContainerUpdates: "pod updates may not add or remove containers".
    if (list(next[f]).length !== list(old[f]).length) return `spec.${f}: Forbidden: pod updates may not add or remove containers`;
  }
  const nd = next['activeDeadlineSeconds'];
  const od = old['activeDeadlineSeconds'];
  if (typeof nd === 'number') {
    if (nd < 0 || nd > 2147483647) return `spec.activeDeadlineSeconds: Invalid value: ${nd}: must be between 0 and 2147483647, inclusive`;
    if (typeof od === 'number' && od < nd) return `spec.activeDeadlineSeconds: Invalid value: ${nd}: must be less than or equal to previous value`;
  } else if (typeof od === 'number') return 'spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value';
  // validateOnlyAddedTolerations: every old toleration stays (its tolerationSeconds may change).
  const nt = list(next['tolerations']);
  for (const o of list(old['tolerations'])) {
    const same = (t: JsonObject) => semanticEqual({ ...t, tolerationSeconds: undefined }, { ...o, tolerationSeconds: undefined });
    if (!nt.some(same)) return 'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds';
  }
  // validateOnlyDeletedSchedulingGates: no gate added.
  const og = list(old['schedulingGates']);
  const ng = list(next['schedulingGates']);
  for (let i = 0; i < ng.length; i++) {
    const name = (ng[i] as JsonObject)['name'];
    if (!og.some((o) => o['name'] === name)) return `spec.schedulingGates[${i}].name: Forbidden: only deletion is allowed, but found new scheduling gate '${String(name)}'`;
  }
  // The munged spec: the updatable fields set back to the old values.
  const munged: JsonObject = { ...next };
  for (const f of ['containers', 'initContainers'] as const) {
    if (next[f] === undefined) continue;
    const oc = list(old[f]);
    munged[f] = list(next[f]).map((c, i) => ({ ...c, image: (oc[i] as JsonObject)['image'] }));
  }
  munged['activeDeadlineSeconds'] = od;
  munged['tolerations'] = old['tolerations'];
  munged['schedulingGates'] = old['schedulingGates'];
  const ot = old['terminationGracePeriodSeconds'];
  if (typeof ot === 'number' && ot < 0 && munged['terminationGracePeriodSeconds'] === 1) munged['terminationGracePeriodSeconds'] = ot;
  return semanticEqual(munged, old) ? null : POD_UPDATE_FORBIDDEN;
}

/** The updatable spec fields a valid update changes (for a note when they are not carried). */
export function changedUpdatableFields(old: JsonObject, next: JsonObject): string[] {
  const out: string[] = [];
  for (const f of ['containers', 'initContainers'] as const) {
    const oc = list(old[f]);
    if (list(next[f]).some((c, i) => c['image'] !== (oc[i] as JsonObject | undefined)?.['image'])) out.push(`spec.${f}[*].image`);
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates', 'terminationGracePeriodSeconds']) if (!semanticEqual(old[f], next[f]) && !(isEmpty(old[f]) && isEmpty(next[f]))) out.push(`spec.${f}`);
  return out;
}
