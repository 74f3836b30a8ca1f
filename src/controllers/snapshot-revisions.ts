// Which revision a cluster snapshot's pods are of, for a DaemonSet or a StatefulSet caught in the
// middle of a rollout. Upstream decides with ControllerRevisions: a pod's
// controller-revision-hash label against the hash of the set's current revision (DaemonSet:
// daemon/util IsPodUpdated, which also takes a pod whose pod-template-generation label is the
// set's deprecated.daemonset.template.generation annotation; StatefulSet: getPodRevision against
// status.updateRevision). ksim has no ControllerRevision objects (a dump's are skipped) and its
// hashes are not upstream's, so it reads what the snapshot holds: the pods' labels, the
// DaemonSet's template generation, the StatefulSet's status revisions and, failing those, the
// pods' specs against the set's template.
import type { Container, Pod, PodSpec, Toleration, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { copyPlain, isObject } from '../api/values.js';
import { templateKey } from '../api/template-defaults.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { ObjectOf } from '../cluster/workload-object.js';
import { CONTROLLER_REVISION_HASH } from './names.js';

/** Upstream extensions.DaemonSetTemplateGenerationKey: the label with the template generation a
 * daemon pod was made at (util.CreatePodTemplate). */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Upstream apps.DeprecatedTemplateGeneration: the DaemonSet's template generation (the API
 * server's DaemonSet strategy raises it with every template change). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
/** Where ServiceAccount admission mounts the token volume (kube-api-access-<random>). */
const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';

type Obj = Record<string, unknown>;

/**
 * The controller-revision-hash values ('' for a pod without the label) of a snapshot
 * DaemonSet's pods that are of an old revision, or null when none is: the rollout the snapshot
 * caught, for the controller to continue (upstream rollingUpdate). Decided per label value, as
 * upstream compares the label with the current revision's hash:
 *  1. the pods whose pod-template-generation label is the set's
 *     deprecated.daemonset.template.generation annotation are of the current revision, and so
 *     is every pod sharing a label value with one of them (upstream IsPodUpdated: generation or
 *     hash); what `kubectl get -o yaml` prints of every DaemonSet and daemon pod;
 *  2. else (no annotation, or no pod of that generation yet), the label values whose pods'
 *     specs are the set's template as the controller and the API server would make it
 *     (daemonPodMatchesTemplate), else whose containers run the template's images;
 *  3. none found: with the generation annotation and the pods' generation labels, every pod is
 *     of an old revision (none of the current generation, none like the template); without,
 *     nothing tells, and every pod is taken as of the template (null).
 */
export function daemonSetOldRevisions(ds: ObjectOf<'DaemonSet'>, pods: Iterable<Pod>): Set<string> | null {
  const groups = new Map<string, Pod[]>();
  for (const p of pods) {
    const h = p.metadata?.labels?.[CONTROLLER_REVISION_HASH] ?? '';
    let g = groups.get(h);
    if (g === undefined) groups.set(h, (g = []));
    g.push(p);
  }
  if (groups.size === 0) return null;
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  const template = (ds.spec ?? {}).template ?? {};
  const pick = (test: (p: Pod) => boolean): Set<string> => {
    const s = new Set<string>();
    groups.forEach((ps, h) => {
      if (ps.some(test)) s.add(h);
    });
    return s;
  };
  let current = generation === undefined ? new Set<string>() : pick((p) => p.metadata?.labels?.[POD_TEMPLATE_GENERATION_LABEL] === generation);
  if (current.size === 0) {
    const key = daemonTemplateKey(template);
    current = pick((p) => daemonPodKey(p, template) === key);
  }
  if (current.size === 0) current = pick((p) => runsTemplateImages(p, template.spec));
  if (current.size === 0) {
    const generations = generation !== undefined && [...groups.values()].every((ps) => ps.every((p) => p.metadata?.labels?.[POD_TEMPLATE_GENERATION_LABEL] !== undefined));
    return generations ? new Set(groups.keys()) : null;
  }
  const old = new Set<string>();
  for (const h of groups.keys()) if (!current.has(h)) old.add(h);
  return old.size > 0 ? old : null;
}

/** Whether a snapshot's daemon pod is the DaemonSet's template as the controller and the API
 * server make a pod of it: compared as the controllers compare templates (templateKey: the API
 * server's defaults filled in on both sides), once what the pod got besides the template is
 * set aside — the node (spec.nodeName, and the required node affinity the controller replaces:
 * ReplaceDaemonSetPodNodeNameNodeAffinity), the daemon tolerations and DefaultTolerationSeconds'
 * (every node.kubernetes.io/ key), ServiceAccount admission's token volume, mounts and
 * serviceAccountName "default", Priority admission's priority and preemptionPolicy (and its
 * globalDefault class when the template names none), RuntimeClass's overhead, the defaults of
 * a pod that a template does not get (SetDefaults_Pod: enableServiceLinks, requests from
 * limits) — and with the template's labels and annotations looked up on the pod (webhooks add
 * others; the controller adds controller-revision-hash and pod-template-generation). */
export function daemonPodMatchesTemplate(pod: Pod, template: NonNullable<NonNullable<ObjectOf<'DaemonSet'>['spec']>['template']>): boolean {
  return daemonPodKey(pod, template) === daemonTemplateKey(template);
}

type DaemonTemplate = NonNullable<NonNullable<ObjectOf<'DaemonSet'>['spec']>['template']>;

function daemonTemplateKey(t: DaemonTemplate): string {
  const annotations = { ...(t.metadata?.annotations ?? {}) };
  delete annotations[WORKLOAD_ANNOTATION];
  return templateKey({ metadata: { labels: t.metadata?.labels ?? {}, annotations }, spec: comparableDaemonSpec(t.spec, t.spec) });
}

function daemonPodKey(p: Pod, t: DaemonTemplate): string {
  const subset = (have: Record<string, string> | undefined, want: Record<string, string> | undefined) => {
    const out: Record<string, string | undefined> = {};
    for (const k of Object.keys(want ?? {})) if (k !== WORKLOAD_ANNOTATION) out[k] = have?.[k];
    return out;
  };
  const md = p.metadata ?? {};
  return templateKey({ metadata: { labels: subset(md.labels, t.metadata?.labels), annotations: subset(md.annotations, t.metadata?.annotations) }, spec: comparableDaemonSpec(p.spec, t.spec) });
}

/** A copy of `spec` without what a pod gets besides its DaemonSet's template (daemonPodMatchesTemplate). */
function comparableDaemonSpec(spec: PodSpec | undefined, templateSpec: PodSpec | undefined): Obj {
  const s = copyPlain((spec ?? { containers: [] }) as unknown) as Obj;
  for (const k of ['nodeName', 'priority', 'preemptionPolicy', 'overhead']) delete s[k];
  if (s['enableServiceLinks'] === true) delete s['enableServiceLinks'];
  if (!templateSpec?.priorityClassName) delete s['priorityClassName'];
  if (!s['serviceAccountName'] && !s['serviceAccount']) s['serviceAccountName'] = 'default';
  const na = isObject(s['affinity']) ? (s['affinity'] as Obj)['nodeAffinity'] : undefined;
  if (isObject(na)) delete na['requiredDuringSchedulingIgnoredDuringExecution'];
  if (Array.isArray(s['tolerations'])) s['tolerations'] = (s['tolerations'] as Toleration[]).filter((t) => !(t.key ?? '').startsWith('node.kubernetes.io/'));
  if (Array.isArray(s['volumes'])) s['volumes'] = (s['volumes'] as Volume[]).filter((v) => !v.name.startsWith(TOKEN_VOLUME_PREFIX));
  for (const k of ['containers', 'initContainers']) {
    if (!Array.isArray(s[k])) continue;
    for (const c of s[k] as Container[]) {
      if (Array.isArray(c.volumeMounts)) c.volumeMounts = c.volumeMounts.filter((m: VolumeMount) => m.mountPath !== SERVICE_ACCOUNT_MOUNT);
      // SetDefaults_Pod: a limit without a request requests the limit.
      const r = c.resources;
      if (r?.limits != null) {
        const requests: Record<string, unknown> = { ...(r.requests ?? {}) };
        for (const [name, v] of Object.entries(r.limits)) if (requests[name] === undefined) requests[name] = v;
        r.requests = requests as NonNullable<typeof r.requests>;
      }
    }
  }
  return s;
}

/** Whether each container and init container of the template runs, in the pod's container of
 * that name, the template's image. */
function runsTemplateImages(p: Pod, t: PodSpec | undefined): boolean {
  const want = [...(t?.containers ?? []), ...(t?.initContainers ?? [])];
  if (want.length === 0) return false;
  const have = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])];
  return want.every((c) => have.some((h) => h.name === c.name && h.image === c.image));
}

/** A snapshot StatefulSet's status revisions when it was caught mid-rollout
 * (status.currentRevision ≠ status.updateRevision; upstream ControllerRevision names, which its
 * pods carry as their controller-revision-hash label), else null. */
export function statefulSetSnapshotRevisions(o: ObjectOf<'StatefulSet'>): { readonly current: string; readonly update: string; readonly currentReplicas: number } | null {
  const status = (o as { status?: { currentRevision?: unknown; updateRevision?: unknown; currentReplicas?: unknown } }).status;
  const current = status?.currentRevision;
  const update = status?.updateRevision;
  if (typeof current !== 'string' || typeof update !== 'string' || current === '' || update === '' || current === update) return null;
  return { current, update, currentReplicas: typeof status?.currentReplicas === 'number' ? status.currentReplicas : 0 };
}

/** Whether a snapshot's StatefulSet pod is of the update revision: its controller-revision-hash
 * label is status.updateRevision (upstream getPodRevision(pod) == updateRevision.Name). */
export function ofUpdateRevision(p: Pod, update: string): boolean {
  return p.metadata?.labels?.[CONTROLLER_REVISION_HASH] === update;
}

/** The template of a StatefulSet's current revision as one of its pods shows it (its
 * ControllerRevision, which holds it, is not in a dump): the pod's labels without the ones the
 * controller adds (controller-revision-hash, the pod name and index) and its annotations; its
 * spec without what the controller, the scheduler and admission set (nodeName, hostname,
 * subdomain, priority, preemptionPolicy, overhead, the service account token volume and
 * mounts), which the API server sets again on a pod made from it. */
export function templateOfStatefulSetPod(p: Pod, podLabels: readonly string[]): NonNullable<NonNullable<ObjectOf<'StatefulSet'>['spec']>['template']> {
  const md = p.metadata ?? {};
  const labels: Record<string, string> = { ...(md.labels ?? {}) };
  for (const k of [CONTROLLER_REVISION_HASH, ...podLabels]) delete labels[k];
  const spec = copyPlain((p.spec ?? { containers: [] }) as unknown) as Obj;
  for (const k of ['nodeName', 'hostname', 'subdomain', 'priority', 'preemptionPolicy', 'overhead']) delete spec[k];
  if (Array.isArray(spec['volumes'])) {
    const volumes = (spec['volumes'] as Volume[]).filter((v) => !v.name.startsWith(TOKEN_VOLUME_PREFIX));
    if (volumes.length > 0) spec['volumes'] = volumes;
    else delete spec['volumes'];
  }
  for (const k of ['containers', 'initContainers']) {
    if (!Array.isArray(spec[k])) continue;
    for (const c of spec[k] as Container[]) {
      if (!Array.isArray(c.volumeMounts)) continue;
      const mounts = c.volumeMounts.filter((m) => m.mountPath !== SERVICE_ACCOUNT_MOUNT);
      if (mounts.length > 0) c.volumeMounts = mounts;
      else delete c.volumeMounts;
    }
  }
  return { metadata: { labels, ...(md.annotations !== undefined ? { annotations: { ...md.annotations } } : {}) }, spec: spec as unknown as PodSpec };
}
