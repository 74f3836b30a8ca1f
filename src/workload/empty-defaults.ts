// "" in a field the API server defaults: read as that default. Go decodes a JSON "" into a
// value-type (non-pointer) string field as its zero value, which is what "left out" decodes
// to as well, and the v1.36 API server's defaulting runs before validation and fills in the
// zero value (pkg/apis/core/v1/defaults.go SetDefaults_PodSpec). So `schedulerName: ""` —
// what Helm renders for `{{ .Values.schedulerName | quote }}` with the value unset — is stored
// as default-scheduler, not refused, and is scheduled by it. The default is written into the
// manifest as read, as the server stores it, so that everything downstream (the scheduler's
// profile lookup, the controllers, explain, capacity, the outputs) sees one value.
//
// Pointer fields are not defaulted from "" (a "" is a set value there, which validation
// refuses: preemptionPolicy, a CronJob's timeZone, a Job's completionMode), nor are value-type
// fields without a defaulter (a spread constraint's whenUnsatisfiable, an HPA metric's type).
// The pod spec's fields are defaulted here; the apps and batch ones where they are read
// (apps-rules.ts: strategy types, claim retention; manifests.ts: podManagementPolicy,
// concurrencyPolicy, onPodConditions status); a toleration's operator "" stays "", as upstream
// stores it, and matches as Equal (field-readers.ts, src/api/taints.ts).
import { DEFAULT_SCHEDULER_NAME } from '../scheduler/config/kube-scheduler-configuration.js';
import { defaultPullPolicy } from '../api/template-defaults.js';
import { isObject } from '../api/values.js';

type Obj = Record<string, unknown>;

/** `o[key] = value` when `o[key]` is "". */
function fillEmpty(o: Obj, key: string, value: string): void {
  if (o[key] === '') o[key] = value;
}

/** SetDefaults_PodSpec (pkg/apis/core/v1/defaults.go) for the fields given as "": schedulerName
 * default-scheduler, restartPolicy Always, dnsPolicy ClusterFirst; and SetDefaults_Container's
 * imagePullPolicy: Always for an image tagged latest or untagged, else IfNotPresent. `spec`: a pod's or a pod
 * template's spec, its fields' types checked. */
export function defaultEmptyPodSpecFields(spec: Obj): void {
  fillEmpty(spec, 'schedulerName', DEFAULT_SCHEDULER_NAME);
  fillEmpty(spec, 'restartPolicy', 'Always');
  fillEmpty(spec, 'dnsPolicy', 'ClusterFirst');
  // SetDefaults_Container, for init containers too.
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (!Array.isArray(cs)) continue;
    for (const c of cs) if (isObject(c) && c['imagePullPolicy'] === '') c['imagePullPolicy'] = defaultPullPolicy(c['image']);
  }
}
