// kubectl apply's client-side apply, as a patch and its application: the client computes a
// three-way strategic merge patch from the object it GETs (upstream
// staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go patchSimple: `original` is that object's
// kubectl.kubernetes.io/last-applied-configuration annotation, `current` the object itself,
// `modified` the configuration given, carrying its own annotation) and PATCHes it without a
// resourceVersion; the API server merges the patch into the object as it is stored then
// (staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go: CreateThreeWayMergePatch
// and StrategicMergeMapPatch). Maps are merged key by key and lists replaced whole, as for a
// Node's fields (metadata.labels and annotations are maps; spec.taints has no patch strategy:
// atomic). A null in the patch deletes the key.

import { isObject } from './values.js';

/** A JSON object, as decoded. */
export type JsonObject = { [key: string]: unknown };

/** kubectl's annotation holding the configuration last applied (staging/src/k8s.io/api/core/v1/
 * annotation_key_constants.go LastAppliedConfigAnnotation). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';


/** Go's reflect.TypeOf over decoded JSON: map, list, string, number, bool or nil. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!(k in b) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** diffMaps(current, modified) with IgnoreDeletions: what `modified` adds or changes. */
function additions(current: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(modified)) {
    const m = modified[k];
    if (!(k in current)) {
      patch[k] = m;
      continue;
    }
    const c = current[k];
    if (kindOf(c) !== kindOf(m)) patch[k] = m;
    else if (isObject(c) && isObject(m)) {
      const sub = additions(c, m);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (!jsonEqual(c, m)) patch[k] = m;
  }
  return patch;
}

/** diffMaps(original, modified) with IgnoreChangesAndAdditions: null for each key `original`
 * has and `modified` leaves out, however deep (a whole map left out is one null). */
function deletions(original: JsonObject, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const k of Object.keys(modified)) {
    const o = original[k];
    const m = modified[k];
    if (isObject(o) && isObject(m)) {
      const sub = deletions(o, m);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    }
  }
  for (const k of Object.keys(original)) if (!(k in modified)) patch[k] = null;
  return patch;
}

/** mergeMap: `patch` merged into a copy of `into`; `keepNulls` (the client's merge of the two
 * diffs) keeps a null as a delete to send, else (the server) a null deletes the key. */
function merge(into: JsonObject, patch: JsonObject, keepNulls: boolean): JsonObject {
  const out: JsonObject = { ...into };
  for (const k of Object.keys(patch)) {
    const p = patch[k];
    if (p === null || p === undefined) {
      delete out[k];
      if (keepNulls) out[k] = null;
      continue;
    }
    const o = out[k];
    out[k] = isObject(o) && isObject(p) ? merge(o, p, keepNulls) : p;
  }
  return out;
}

/** The patch kubectl apply sends (CreateThreeWayMergePatch, --overwrite as by default): what
 * `modified` adds or changes against `current`, and a null for what `original` gave and
 * `modified` leaves out. `original` null: no last-applied annotation (nothing deleted). An empty
 * patch is not sent (patchSimple returns on "{}"). */
export function threeWayPatch(original: JsonObject | null, modified: JsonObject, current: JsonObject): JsonObject {
  return merge(original === null ? {} : deletions(original, modified), additions(current, modified), true);
}

/** The API server's merge of a strategic merge patch into the stored object. */
export function applyPatch(stored: JsonObject, patch: JsonObject): JsonObject {
  return merge(stored, patch, false);
}

/** The configuration an object was last applied with (its last-applied annotation), or null
 * without one (or with one that is not a JSON object). */
export function lastApplied(o: { metadata?: { annotations?: Record<string, string> } }): JsonObject | null {
  const s = o.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (s === undefined || s === '') return null;
  try {
    const v: unknown = JSON.parse(s);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** What kubectl apply sends as `modified` (GetModifiedConfiguration): the configuration with its
 * last-applied annotation set to itself serialized (without that annotation). */
export function withLastApplied<T extends { metadata?: { annotations?: Record<string, string> } }>(given: T): T {
  const annotations = { ...given.metadata?.annotations };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const bare = { ...given, metadata: { ...given.metadata, annotations } };
  if (Object.keys(annotations).length === 0) delete (bare.metadata as { annotations?: unknown }).annotations;
  return { ...given, metadata: { ...given.metadata, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(bare) } } };
}
