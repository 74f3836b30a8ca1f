// Pod templates made comparable: what the API server fills in before it stores a template
// (upstream pkg/apis/core/v1/defaults.go SetDefaults_PodSpec, SetDefaults_Container,
// SetDefaults_ContainerPort, SetDefaults_Probe, SetDefaults_HTTPGetAction, SetDefaults_Volume,
// SetDefaults_*VolumeSource; the whole list is pinned by TestWorkloadDefaults in
// pkg/apis/core/v1/defaults_test.go), with the spellings that mean the same folded into one.
// A `kubectl get -o json` dump shows every default; a chart or a hand-written manifest shows
// none. Upstream only ever compares stored, defaulted templates (a Deployment's against its
// ReplicaSets', deploymentutil.EqualIgnoreHash), so re-applying an unchanged chart over a
// running cluster never rolls anything out; ksim compares templates as written, so it compares
// them through this.
import { canonicalJson, isObject, setOwn } from './values.js';
import { milliValue, parseQuantity } from './quantity.js';

type Obj = Record<string, unknown>;

/** A deep copy of a pod template with upstream's defaults filled in, null fields and empty
 * objects and lists dropped (Go reads them as unset), quantities in one spelling ("1000m", "1"
 * and 1 are one CPU) and the deprecated `serviceAccount` folded into `serviceAccountName` (the
 * API server writes both). For comparing templates, not for running them. `ignore`: metadata
 * labels and annotations left out (the controller's pod-template-hash, ksim's own
 * ksim.io/workload), a map emptied by it dropped with the other empty ones. */
export function comparableTemplate(template: unknown, ignore: TemplateKeysIgnored = {}): unknown {
  const t = copyDefined(template);
  if (!isObject(t)) return t;
  const md = t['metadata'];
  if (isObject(md)) {
    for (const [field, keys] of [['labels', ignore.labels], ['annotations', ignore.annotations]] as const) {
      const m = md[field];
      if (isObject(m) && keys !== undefined) for (const k of keys) delete m[k];
    }
  }
  const spec = t['spec'];
  if (isObject(spec)) defaultPodSpec(spec);
  return dropEmpty(t);
}

/** Metadata keys comparableTemplate leaves out. */
export interface TemplateKeysIgnored {
  readonly labels?: readonly string[];
  readonly annotations?: readonly string[];
}

/** comparableTemplate's canonical JSON: equal for two templates the API server stores alike. */
export function templateKey(template: unknown, ignore: TemplateKeysIgnored = {}): string {
  return canonicalJson(comparableTemplate(template, ignore));
}

function defaultPodSpec(spec: Obj): void {
  setIfUnset(spec, 'dnsPolicy', 'ClusterFirst');
  setIfUnset(spec, 'restartPolicy', 'Always');
  setIfUnset(spec, 'schedulerName', 'default-scheduler');
  if (spec['terminationGracePeriodSeconds'] === undefined) spec['terminationGracePeriodSeconds'] = 30;
  // v1 conversion (pkg/apis/core/v1/conversion.go): serviceAccount is the deprecated alias the API
  // server writes back as a copy of serviceAccountName.
  if (!spec['serviceAccountName'] && typeof spec['serviceAccount'] === 'string') spec['serviceAccountName'] = spec['serviceAccount'];
  delete spec['serviceAccount'];
  // Plain (non-pointer) Go booleans: false is how an unset one reads.
  for (const k of ['hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace']) if (spec[k] === false) delete spec[k];
  for (const k of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of listOf(spec[k])) defaultContainer(c);
  for (const v of listOf(spec['volumes'])) defaultVolume(v);
  normaliseResources(spec, 'overhead');
  const podResources = spec['resources'];
  if (isObject(podResources)) for (const k of ['requests', 'limits']) normaliseResources(podResources, k);
}

function defaultContainer(c: Obj): void {
  setIfUnset(c, 'imagePullPolicy', defaultPullPolicy(c['image']));
  setIfUnset(c, 'terminationMessagePath', '/dev/termination-log');
  setIfUnset(c, 'terminationMessagePolicy', 'File');
  for (const p of listOf(c['ports'])) setIfUnset(p, 'protocol', 'TCP');
  for (const e of listOf(c['env'])) defaultFieldRef(objectAt(e, 'valueFrom'));
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = c[k];
    if (!isObject(probe)) continue;
    for (const [f, d] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) if (!probe[f]) probe[f] = d;
    defaultHttpGet(probe['httpGet']);
    const grpc = probe['grpc'];
    if (isObject(grpc)) setIfUnset(grpc, 'service', '');
  }
  const lifecycle = c['lifecycle'];
  if (isObject(lifecycle)) for (const k of ['postStart', 'preStop']) if (isObject(lifecycle[k])) defaultHttpGet((lifecycle[k] as Obj)['httpGet']);
  for (const k of ['stdin', 'stdinOnce', 'tty']) if (c[k] === false) delete c[k];
  const resources = c['resources'];
  if (isObject(resources)) for (const k of ['requests', 'limits']) normaliseResources(resources, k);
}

/** SetDefaults_Container's imagePullPolicy: "Always" for an image tagged latest or with no tag
 * (nor digest: parsers.ParseImageName then reports tag latest), else "IfNotPresent". */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return pullsAlways(image) ? 'Always' : 'IfNotPresent';
}

function pullsAlways(image: unknown): boolean {
  if (typeof image !== 'string' || image === '' || image.includes('@')) return false;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 || name.slice(colon + 1) === 'latest';
}

function defaultHttpGet(h: unknown): void {
  if (!isObject(h)) return;
  setIfUnset(h, 'path', '/');
  setIfUnset(h, 'scheme', 'HTTP');
}

function defaultFieldRef(source: Obj | undefined): void {
  const ref = source?.['fieldRef'];
  if (isObject(ref)) setIfUnset(ref, 'apiVersion', 'v1');
}

/** The volume sources SetDefaults_Volume and its sources' defaulters fill in (the rarer in-tree
 * plugins' — AzureDisk, ISCSI, RBD, ScaleIO — left as written). */
function defaultVolume(v: Obj): void {
  if (Object.keys(v).every((k) => k === 'name' || v[k] === null || v[k] === undefined)) v['emptyDir'] = {};
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const s = v[k];
    if (isObject(s) && s['defaultMode'] === undefined) s['defaultMode'] = 420;
  }
  for (const item of listOf(objectAt(v, 'downwardAPI')?.['items'])) defaultFieldRef(item);
  for (const source of listOf(objectAt(v, 'projected')?.['sources'])) {
    for (const item of listOf(objectAt(source, 'downwardAPI')?.['items'])) defaultFieldRef(item);
    const token = objectAt(source, 'serviceAccountToken');
    if (token !== undefined && token['expirationSeconds'] === undefined) token['expirationSeconds'] = 3600;
  }
  const hostPath = objectAt(v, 'hostPath');
  if (hostPath !== undefined) setIfUnset(hostPath, 'type', '');
  const emptyDir = objectAt(v, 'emptyDir');
  if (emptyDir !== undefined) normaliseQuantity(emptyDir, 'sizeLimit');
}

/** Each quantity of the list at `o[key]` in one spelling: its value in thousandths. */
function normaliseResources(o: Obj, key: string): void {
  const list = o[key];
  if (!isObject(list)) return;
  for (const name of Object.keys(list)) normaliseQuantity(list, name);
}

function normaliseQuantity(o: Obj, key: string): void {
  const v = o[key];
  if (typeof v !== 'string' && typeof v !== 'number') return;
  try {
    o[key] = `${milliValue(parseQuantity(v))}m`;
  } catch {
    // Not a quantity, or out of range: compared as written (the run refuses it elsewhere).
  }
}

function setIfUnset(o: Obj, key: string, value: string): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

function objectAt(o: unknown, key: string): Obj | undefined {
  const v = isObject(o) ? o[key] : undefined;
  return isObject(v) ? v : undefined;
}

function listOf(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** A deep copy of a parsed value without its null and undefined fields. */
function copyDefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyDefined);
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) setOwn(out, k, copyDefined(x));
  return out;
}

/** Drops, depth first, the fields whose value is an empty object or list (and lists' empty
 * objects stay: a list's length is part of it). */
function dropEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropEmpty);
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    const d = dropEmpty(x);
    if ((Array.isArray(d) && d.length === 0) || (isObject(d) && Object.keys(d).length === 0)) continue;
    setOwn(out, k, d);
  }
  return out;
}
