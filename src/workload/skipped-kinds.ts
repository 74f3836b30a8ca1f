// Kinds that an application's manifests carry but that do not change where pods go: read past
// with one summary warning per file, so that `kubectl apply -f` folders load as they are.

/** Built-in kinds that do not take part in scheduling as ksim models it (a kind of a built-in
 * group that is neither simulated nor listed here is a typo: refused). */
const NOT_SIMULATED: ReadonlySet<string> = new Set([
  'ServiceAccount', 'ConfigMap', 'Secret', 'Endpoints', 'EndpointSlice', 'PodTemplate', 'Event',
  'ComponentStatus', 'Binding', 'PodSecurityPolicy', 'VolumeAttributesClass', 'PodSchedulingContext', 'DeviceTaintRule',
  'LeaseCandidate', 'StorageVersion', 'StorageVersionMigration', 'Workload', 'PodGroup',
  'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding',
  'Ingress', 'IngressClass', 'NetworkPolicy',
  'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'VolumeAttachment',
  'CustomResourceDefinition', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'Lease', 'FlowSchema', 'PriorityLevelConfiguration', 'ControllerRevision',
  'DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice', 'IPAddress', 'ServiceCIDR', 'ClusterTrustBundle',
]);

/** API groups of Kubernetes itself; any other group's objects are custom resources. */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'extensions',
  'scheduling.k8s.io', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io',
  'admissionregistration.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io',
  'discovery.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'node.k8s.io', 'resource.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

/** Whether an object of this kind is read past (not simulated): a built-in kind that does not
 * schedule anything, or a custom resource (its group is not one of Kubernetes'). */
export function isSkippedKind(apiVersion: unknown, kind: string): boolean {
  return NOT_SIMULATED.has(kind) || isCustomResource(apiVersion);
}

/** Whether an apiVersion names a group that is not one of Kubernetes' own. */
export function isCustomResource(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return !BUILT_IN_GROUPS.has(group);
}

/** Counts skipped kinds of one source in first-seen order and words the summary warning, the
 * custom resources apart: an operator's resource (a Prometheus, a Kafka) makes pods in a real
 * cluster, which a run without the operator does not have. */
export class SkipTally {
  private readonly counts = new Map<string, number>();
  private readonly custom = new Map<string, number>();

  add(kind: string, custom = false): void {
    const m = custom ? this.custom : this.counts;
    m.set(kind, (m.get(kind) ?? 0) + 1);
  }

  /** Adds another tally's counts (kinds in its first-seen order after this one's). */
  addAll(other: SkipTally): void {
    for (const [k, n] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    for (const [k, n] of other.custom) this.custom.set(k, (this.custom.get(k) ?? 0) + n);
  }

  get size(): number {
    return this.counts.size + this.custom.size;
  }

  /** "skipped 12 ServiceAccount, 11 ConfigMap[ in N files]: not simulated", and the custom
   * resources' own sentence; null when nothing was skipped. */
  message(files = 1): string | null {
    const where = files > 1 ? ` in ${files} files` : '';
    const builtIn = this.counts.size === 0 ? null : `${(skippedMessage(this.counts) as string).replace(/: not simulated$/, '')}${where}: not simulated`;
    if (this.custom.size === 0) return builtIn;
    const list = [...this.custom].map(([k, n]) => `${n} ${k}`).join(', ');
    const custom = `${builtIn === null ? 'skipped ' : ''}custom resources ${list}${builtIn === null ? where : ''}: no operator runs in ksim, so pods an operator would create for them are not in the run (write those as the StatefulSets or Deployments they become to count them)`;
    return builtIn === null ? custom : `${builtIn}; ${custom}`;
  }
}

/** What a snapshot's ReplicationController, skipped, leaves out: ksim runs no replication
 * manager (in a workload file it is an error: it would make no pods). */
export const NOT_RECREATED_NOTE = 'its pods run, but nothing recreates them when they are evicted or deleted';

/** "skipped 12 ServiceAccount, 11 ConfigMap: not simulated" (a ReplicationController with
 * NOT_RECREATED_NOTE), or null for no kind. */
export function skippedMessage(counts: ReadonlyMap<string, number>): string | null {
  if (counts.size === 0) return null;
  const what = (k: string, n: number) => (k === 'ReplicationController' ? `${n} ${k} (${NOT_RECREATED_NOTE.replace(/^its/, n === 1 ? 'its' : 'their')})` : `${n} ${k}`);
  return `skipped ${[...counts].map(([k, n]) => what(k, n)).join(', ')}: not simulated`;
}
