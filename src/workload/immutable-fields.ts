// The spec fields an update may not change, by kind, as the API server refuses them (422
// Invalid), compared on the stored form (the defaults the API server fills in count as set):
//  - Job: all but suspend, parallelism, activeDeadlineSeconds, backoffLimit and
//    ttlSecondsAfterFinished (upstream pkg/apis/batch/validation ValidateJobSpecUpdate);
//  - StatefulSet: all but replicas, ordinals, template, updateStrategy,
//    persistentVolumeClaimRetentionPolicy and minReadySeconds (pkg/apis/apps/validation
//    ValidateStatefulSetUpdate: "updates to statefulset spec for fields other than ... are
//    forbidden"), podManagementPolicy, serviceName, volumeClaimTemplates, revisionHistoryLimit
//    and selector among them;
//  - Deployment, ReplicaSet, DaemonSet: spec.selector in apps/v1 (pkg/registry/apps/{deployment,
//    replicaset,daemonset}/strategy.go ValidateUpdate: ValidateImmutableField, "field is
//    immutable").
// ksim's own ksim.io/workload annotation on a template is left out of the comparison.
import { isObject as isObj, setOwn } from '../api/values.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';

type Obj = Record<string, unknown>;

/** Job spec fields an update may change (upstream ValidateJobSpecUpdate makes the others
 * immutable: template, completions, selector, completionMode, podFailurePolicy, ...). */
export const JOB_MUTABLE_FIELDS: readonly string[] = ['parallelism', 'suspend', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'];

/** StatefulSet spec fields an update may change (upstream ValidateStatefulSetUpdate). */
export const STATEFULSET_MUTABLE_FIELDS: readonly string[] = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** A spec field an update changed that may not change: its name, and why (for messages: "a
 * StatefulSet's spec.serviceName is immutable; an update may change ..."). */
export interface ImmutableChange {
  readonly field: string;
  readonly why: string;
}

/** The first spec field (in name order) of a `kind` object that an update from spec `prev` to
 * spec `next` changes and may not, or null (also for kinds without such rules). */
export function changedImmutableField(kind: string | undefined, prev: unknown, next: unknown): ImmutableChange | null {
  const a = isObj(prev) ? prev : {};
  const b = isObj(next) ? next : {};
  if (kind === 'Job') {
    const field = firstChanged(a, b, (k) => !JOB_MUTABLE_FIELDS.includes(k));
    return field === null ? null : { field, why: `a Job's spec.${field} is immutable; an update may change ${JOB_MUTABLE_FIELDS.join(', ')}` };
  }
  if (kind === 'StatefulSet') {
    const field = firstChanged(statefulSetDefaults(a), statefulSetDefaults(b), (k) => !STATEFULSET_MUTABLE_FIELDS.includes(k));
    return field === null ? null : { field, why: `a StatefulSet's spec.${field} is immutable; an update may change ${STATEFULSET_MUTABLE_FIELDS.slice(0, -1).join(', ')} and ${STATEFULSET_MUTABLE_FIELDS.at(-1)}` };
  }
  if (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'DaemonSet') {
    const field = firstChanged(a, b, (k) => k === 'selector');
    return field === null ? null : { field, why: `a ${kind}'s spec.selector is immutable in apps/v1 (field is immutable); an update may change its other fields` };
  }
  return null;
}

/** The first key (in name order) `compared` keeps whose values differ between `a` and `b`. */
function firstChanged(a: Obj, b: Obj, compared: (k: string) => boolean): string | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(compared).sort();
  for (const k of keys) if (canonical(a[k], k === 'template') !== canonical(b[k], k === 'template')) return k;
  return null;
}

function canonical(v: unknown, template: boolean): string {
  return JSON.stringify(sortedDeep(template ? withoutWorkloadAnnotation(v) : v)) ?? 'null';
}

/** A pod template without ksim.io/workload (the entry that brought it, which ksim adds). */
function withoutWorkloadAnnotation(t: unknown): unknown {
  if (!isObj(t) || !isObj(t['metadata']) || !isObj(t['metadata']['annotations'])) return t;
  const { [WORKLOAD_ANNOTATION]: _w, ...annotations } = t['metadata']['annotations'];
  return { ...t, metadata: { ...t['metadata'], annotations } };
}

/** The StatefulSet spec fields the API server defaults, as it stores them (upstream
 * SetDefaults_StatefulSet: podManagementPolicy OrderedReady, revisionHistoryLimit 10;
 * serviceName's zero value ""; a claim template's volumeMode Filesystem
 * (SetDefaults_PersistentVolumeClaimSpec), without the apiVersion, kind and status the stored
 * template does not keep). */
function statefulSetDefaults(spec: Obj): Obj {
  const vct = spec['volumeClaimTemplates'];
  return {
    ...spec,
    podManagementPolicy: spec['podManagementPolicy'] ?? 'OrderedReady',
    revisionHistoryLimit: spec['revisionHistoryLimit'] ?? 10,
    serviceName: spec['serviceName'] ?? '',
    volumeClaimTemplates: Array.isArray(vct) ? vct.map(claimTemplate) : [],
  };
}

function claimTemplate(c: unknown): unknown {
  if (!isObj(c)) return c;
  const { apiVersion: _v, kind: _k, status: _s, ...rest } = c;
  const md = isObj(rest['metadata']) ? (({ creationTimestamp: _c, ...m }) => m)(rest['metadata']) : rest['metadata'];
  const spec = isObj(rest['spec']) ? { ...rest['spec'], volumeMode: rest['spec']['volumeMode'] ?? 'Filesystem' } : rest['spec'];
  return { ...rest, metadata: md, spec };
}

function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) setOwn(out, k, sortedDeep(v[k]));
  return out;
}
