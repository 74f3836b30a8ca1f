// fast-check arbitraries for whole scenarios: small random clusters and workloads, produced as
// the scenario document (a plain object) and its YAML text, so that a failing case can be
// written out verbatim as a regression file (test/regressions/) and replayed with `ksim run`.
//
// Coverage (every field below is sometimes present, sometimes absent; absent is where shrinking
// goes, and every choice shrinks towards its first, simplest alternative):
//   cluster   1–8 nodes in 1–3 pools; allocatable cpu 1–16 (whole or milli; mostly 2–6),
//             memory 1–64Gi (mostly 2–16Gi), pods 3–110, sometimes an extended resource
//             (example.com/gpu 0–4); zones (1–3 of zone-a/b/c round-robin, or none), labels
//             disktype / team / rack (rack is numeric, for Gt/Lt), taints (dedicated / gpu / spot
//             × NoSchedule / PreferNoSchedule / NoExecute), unschedulable (cordoned) pools, cached
//             images (ImageLocality).
//   workload  1–6 entries of Pods, Deployments, StatefulSets, Jobs or CronJobs (replicas 0–8;
//             StatefulSets, Jobs and CronJobs only arrive once; a Job's completions are its
//             replicas; a CronJob runs every minute, Allow / Forbid / Replace), arriving once (`at`, anywhere in
//             the run) or at a rate (poisson/fixed, 1–60/min, bounded count for Deployments), in
//             namespace default or other; a PodDisruptionBudget over an entry sometimes. Pod
//             templates: 1–2 containers and sometimes an init container with requests none /
//             small / bigger than any node (cpu, memory, example.com/gpu), given as requests, as
//             limits only (requests default to limits) or both; host ports; tolerations (Equal,
//             Exists, wildcard, the unschedulable taint); a PriorityClass (priority 0, 10,
//             100, 1000 or -5, preemptionPolicy Never sometimes: declared at 0 s), so preemption happens; runDuration forever or short (constant,
//             uniform, exponential), so pods churn and ReplicaSets replace them;
//             terminationGracePeriodSeconds 0 / 5 / 45 or the default 30 (Terminating pods). Two thirds of the
//             templates also get placement constraints: nodeSelector; required / preferred node
//             affinity (In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields metadata.name);
//             required / preferred pod affinity and anti-affinity (hostname or zone; own or other
//             entries' labels; namespaces / namespaceSelector); topology spread constraints
//             (hostname or zone, DoNotSchedule / ScheduleAnyway, maxSkew 1–3, minDomains, node
//             affinity and taints policies, matchLabelKeys pod-template-hash).
//   scheduler sometimes a KubeSchedulerConfiguration: percentageOfNodesToScore (global or per
//             profile), backoff seconds, NodeResourcesFit scoring strategy (LeastAllocated,
//             MostAllocated, RequestedToCapacityRatio), PodTopologySpread List defaulting,
//             InterPodAffinity hardPodAffinityWeight, score-only plugins disabled.
//   run       seed, duration 30 s–10 min, API write latency, kubelet startup latency, sample interval.
//
// Faults (faultyScenarioArb only; scenarioArb has none): 1–3 of nodeDown / partition /
// kubeletFlap on one generated node or its whole pool, or zoneOutage of a zone some pool has, at any time of the
// first 25 % of a run of at least 8 min, mostly with recovery (`for` 30 s–10 min, sometimes
// forever; a flap's period 20 s–2 min).
// Not generated: drains, node additions. Filter plugins are never disabled
// (test/property/harness.ts checks bindings against taints, node selectors, node affinity and
// node size whatever the profile says). Generated manifests pass upstream's API validation for
// the fields used (unique taints and spread constraints, minDomains only with DoNotSchedule,
// extended-resource requests equal to limits, ...).
import fc from 'fast-check';
import { stringify } from 'yaml';

type Obj = Record<string, unknown>;

export const ZONE = 'topology.kubernetes.io/zone';
export const HOSTNAME = 'kubernetes.io/hostname';
export const EXTENDED_RESOURCE = 'example.com/gpu';
export const MAX_NODES = 8;
export const MAX_DURATION_S = 600;

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const TIERS = ['web', 'db', 'cache'];
const TAINT_KEYS = ['dedicated', 'gpu', 'spot'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
const IMAGES = ['img-a', 'img-b', 'img-c'];
/** App labels of entries w0..w5 (entries name themselves w<i>; SELF stands for the own one). */
const APPS = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5'];
const SELF = '$SELF';
/** Plausible node names (pools are p0..p2, nodes <pool>-<i>). */
const NODE_NAMES = ['p0-0', 'p0-1', 'p0-2', 'p0-5', 'p1-0', 'p1-1', 'p2-0', 'p2-3'];
const NAMESPACES = ['default', 'other'];

/** A generated scenario: the document and its YAML text. */
export interface GeneratedScenario {
  readonly doc: Obj;
  readonly yaml: string;
}

/** Deletes undefined fields (recursively), so the YAML carries only what was generated. */
function compact<T>(v: T): T {
  if (Array.isArray(v)) return v.map(compact) as T;
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v as Obj)) if (x !== undefined) out[k] = compact(x);
    return out as T;
  }
  return v;
}

/** Replaces the SELF placeholder (own app label) with `name`, recursively. */
function resolveSelf<T>(v: T, name: string): T {
  if (v === SELF) return name as T;
  if (Array.isArray(v)) return v.map((x) => resolveSelf(x, name)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v as Obj)) out[k] = resolveSelf(x, name);
    return out as T;
  }
  return v;
}

/** `arb` with probability `present` (rounded to tenths), else undefined; shrinks to undefined.
 * (Every oneof here cross-shrinks towards its first, simplest, alternative.) */
function maybe<T>(arb: fc.Arbitrary<T>, present: number): fc.Arbitrary<T | undefined> {
  const w = Math.round(present * 10);
  return fc.oneof({ withCrossShrink: true }, { weight: 10 - w, arbitrary: fc.constant(undefined) }, { weight: w, arbitrary: arb });
}

const secondsArb = (min: number, max: number) => fc.integer({ min, max }).map((s) => `${s}s`);

// ---------------------------------------------------------------- cluster

const taintArb = fc.record({
  key: fc.constantFrom(...TAINT_KEYS),
  value: fc.constantFrom('x', 'y'),
  effect: fc.constantFrom(...EFFECTS),
});

const poolArb = fc.record({
  count: fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: MAX_NODES }) }),
  zones: fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.subarray(ZONES, { minLength: 1 }) }),
  // Mostly small nodes, so that pods compete for room (and preempt).
  cpu: fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.integer({ min: 2, max: 6 }).map(String) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 16 }).map(String) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 16000 }).map((m) => `${m}m`) },
  ),
  memoryGi: fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.integer({ min: 2, max: 16 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }) }),
  pods: fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 10 }) }, { weight: 3, arbitrary: fc.integer({ min: 11, max: 110 }) }),
  gpu: maybe(fc.integer({ min: 0, max: 4 }), 0.4),
  labels: fc.record(
    { disktype: fc.constantFrom('ssd', 'hdd'), team: fc.constantFrom('a', 'b'), rack: fc.integer({ min: 1, max: 4 }).map(String) },
    { requiredKeys: [] },
  ),
  // Upstream validation: no two taints with the same key and effect.
  taints: fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.uniqueArray(taintArb, { minLength: 1, maxLength: 2, selector: (t) => `${t.key}:${t.effect}` }) },
  ),
  unschedulable: fc.oneof({ withCrossShrink: true }, { weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  images: fc.subarray(IMAGES),
});

type PoolGen = typeof poolArb extends fc.Arbitrary<infer T> ? T : never;

function renderPools(pools: readonly PoolGen[]): Obj[] {
  const out: Obj[] = [];
  let total = 0;
  pools.forEach((p, i) => {
    const count = Math.min(p.count, MAX_NODES - total);
    if (count <= 0) return;
    total += count;
    const allocatable: Obj = { cpu: p.cpu, memory: `${p.memoryGi}Gi`, pods: p.pods };
    if (p.gpu !== undefined) allocatable[EXTENDED_RESOURCE] = p.gpu;
    out.push({
      name: `p${i}`,
      count,
      zones: p.zones.length > 0 ? p.zones : undefined,
      allocatable,
      labels: Object.keys(p.labels).length > 0 ? p.labels : undefined,
      taints: p.taints.length > 0 ? p.taints : undefined,
      unschedulable: p.unschedulable ? true : undefined,
      images: p.images.length > 0 ? p.images : undefined,
    });
  });
  return out;
}

// ---------------------------------------------------------------- pod spec pieces

const cpuArb = fc.oneof(
  { withCrossShrink: true },
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 500 }).map((m) => `${m}m`) },
  { weight: 6, arbitrary: fc.integer({ min: 501, max: 2000 }).map((m) => `${m}m`) },
  { weight: 2, arbitrary: fc.integer({ min: 2001, max: 4000 }).map((m) => `${m}m`) },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 64 }).map(String) }, // bigger than any node
);
const memoryArb = fc.oneof(
  { withCrossShrink: true },
  { weight: 14, arbitrary: fc.integer({ min: 1, max: 1024 }).map((m) => `${m}Mi`) },
  { weight: 5, arbitrary: fc.integer({ min: 1025, max: 4096 }).map((m) => `${m}Mi`) },
  { weight: 1, arbitrary: fc.integer({ min: 4097, max: 8192 }).map((m) => `${m}Mi`) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 256 }).map((g) => `${g}Gi`) }, // bigger than any node
);

const resourcesArb = fc
  .record({
    cpu: maybe(cpuArb, 0.7),
    memory: maybe(memoryArb, 0.6),
    gpu: maybe(fc.integer({ min: 1, max: 5 }), 0.05),
    style: fc.constantFrom('requests', 'limits', 'both'),
  })
  .map(({ cpu, memory, gpu, style }) => {
    const q = compact({ cpu, memory });
    const hasQ = Object.keys(q).length > 0;
    // Extended resources cannot be overcommitted: upstream requires requests == limits.
    const ext = gpu === undefined ? {} : { [EXTENDED_RESOURCE]: gpu };
    const requests = style === 'limits' ? ext : { ...q, ...ext };
    const limits = style === 'requests' ? ext : { ...q, ...ext };
    if (!hasQ && gpu === undefined) return undefined;
    return compact({
      requests: Object.keys(requests).length > 0 ? requests : undefined,
      limits: Object.keys(limits).length > 0 ? limits : undefined,
    });
  });

const containerArb = fc.record({
  image: fc.constantFrom(...IMAGES, 'img-z'),
  resources: resourcesArb,
  hostPort: maybe(fc.constantFrom(8080, 8081), 0.1),
});

function renderContainer(c: typeof containerArb extends fc.Arbitrary<infer T> ? T : never, name: string): Obj {
  return compact({
    name,
    image: c.image,
    resources: c.resources,
    ports: c.hostPort === undefined ? undefined : [{ containerPort: 80, hostPort: c.hostPort }],
  });
}

const tolerationArb: fc.Arbitrary<Obj> = fc.oneof(
  { withCrossShrink: true },
  fc.record({ key: fc.constantFrom(...TAINT_KEYS), operator: fc.constant('Equal'), value: fc.constantFrom('x', 'y'), effect: maybe(fc.constantFrom(...EFFECTS), 0.5) }),
  fc.record({ key: fc.constantFrom(...TAINT_KEYS, 'node.kubernetes.io/unschedulable'), operator: fc.constant('Exists'), effect: maybe(fc.constantFrom(...EFFECTS), 0.5) }),
  fc.constant({ operator: 'Exists' }), // tolerates every taint
).map(compact);

const nodeRequirementArb: fc.Arbitrary<Obj> = fc.oneof(
  { withCrossShrink: true },
  fc.record({ key: fc.constant('disktype'), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(['ssd', 'hdd'], { minLength: 1 }) }),
  fc.record({ key: fc.constant(ZONE), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(ZONES, { minLength: 1 }) }),
  fc.record({ key: fc.constant(HOSTNAME), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(NODE_NAMES, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key: fc.constantFrom('disktype', 'team', 'rack', ZONE), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
  fc.record({ key: fc.constant('rack'), operator: fc.constantFrom('Gt', 'Lt'), values: fc.integer({ min: 0, max: 5 }).map((n) => [String(n)]) }),
);

const nodeSelectorTermArb: fc.Arbitrary<Obj> = fc
  .record({
    matchExpressions: fc.array(nodeRequirementArb, { minLength: 1, maxLength: 2 }),
    // Upstream validation: metadata.name takes In/NotIn with exactly one value.
    matchFields: maybe(fc.record({ key: fc.constant('metadata.name'), operator: fc.constantFrom('In', 'NotIn'), values: fc.constantFrom(...NODE_NAMES).map((n) => [n]) }).map((r) => [r]), 0.1),
  })
  .map(compact);

const nodeAffinityArb: fc.Arbitrary<Obj> = fc
  .record(
    {
      requiredDuringSchedulingIgnoredDuringExecution: fc.array(nodeSelectorTermArb, { minLength: 1, maxLength: 2 }).map((nodeSelectorTerms) => ({ nodeSelectorTerms })),
      preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), preference: nodeSelectorTermArb }), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: [] },
  );

const podLabelSelectorArb: fc.Arbitrary<Obj> = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.constant({ matchLabels: { app: SELF } }) },
  { weight: 2, arbitrary: fc.constantFrom(...APPS).map((app) => ({ matchLabels: { app } })) },
  { weight: 1, arbitrary: fc.constantFrom(...TIERS).map((tier) => ({ matchLabels: { tier } })) },
  { weight: 1, arbitrary: fc.record({ key: fc.constant('tier'), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(TIERS, { minLength: 1 }) }).map((e) => ({ matchExpressions: [e] })) },
  { weight: 1, arbitrary: fc.constant({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }) },
);

const podAffinityTermArb: fc.Arbitrary<Obj> = fc
  .record({
    labelSelector: podLabelSelectorArb,
    topologyKey: fc.constantFrom(HOSTNAME, ZONE),
    namespaces: maybe(fc.subarray(NAMESPACES, { minLength: 1 }), 0.1),
    namespaceSelector: maybe(fc.constant({}), 0.1), // all namespaces
  })
  .map(compact);

const podAffinityArb: fc.Arbitrary<Obj> = fc.record(
  {
    requiredDuringSchedulingIgnoredDuringExecution: fc.array(podAffinityTermArb, { minLength: 1, maxLength: 2 }),
    preferredDuringSchedulingIgnoredDuringExecution: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), podAffinityTerm: podAffinityTermArb }), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const spreadConstraintArb: fc.Arbitrary<Obj> = fc
  .record({
    maxSkew: fc.integer({ min: 1, max: 3 }),
    topologyKey: fc.constantFrom(HOSTNAME, ZONE),
    whenUnsatisfiable: fc.constantFrom('DoNotSchedule', 'ScheduleAnyway'),
    labelSelector: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constant({ matchLabels: { app: SELF } }) }, { weight: 1, arbitrary: podLabelSelectorArb }),
    minDomains: maybe(fc.integer({ min: 1, max: 4 }), 0.3),
    nodeAffinityPolicy: maybe(fc.constantFrom('Honor', 'Ignore'), 0.2),
    nodeTaintsPolicy: maybe(fc.constantFrom('Honor', 'Ignore'), 0.2),
    matchLabelKeys: maybe(fc.constant(['pod-template-hash']), 0.2),
  })
  // Upstream validation: minDomains only with DoNotSchedule.
  .map((c) => compact(c['whenUnsatisfiable'] === 'DoNotSchedule' ? c : { ...c, minDomains: undefined }));

const podSpecArb = fc.record({
  // A third of the pod templates carry no placement constraints (nodeSelector, affinity,
  // spreading), so that resource pressure and preemption are common; shrinks towards those.
  constrained: fc.oneof({ withCrossShrink: true }, { weight: 1, arbitrary: fc.constant(false) }, { weight: 2, arbitrary: fc.constant(true) }),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 2 }),
  initContainer: maybe(containerArb, 0.1),
  nodeSelector: maybe(
    fc.oneof(
      { withCrossShrink: true },
      fc.constantFrom('ssd', 'hdd').map((disktype): Obj => ({ disktype })),
      fc.constantFrom('a', 'b').map((team): Obj => ({ team })),
      fc.constantFrom(...ZONES).map((zone): Obj => ({ [ZONE]: zone })),
      fc.constant<Obj>({ disktype: 'ssd', team: 'a' }),
    ),
    0.2,
  ),
  tolerations: fc.array(tolerationArb, { maxLength: 2 }),
  nodeAffinity: maybe(nodeAffinityArb, 0.3),
  podAffinity: maybe(podAffinityArb, 0.2),
  podAntiAffinity: maybe(podAffinityArb, 0.3),
  // Upstream validation: no two constraints with the same topologyKey and whenUnsatisfiable.
  spread: fc.uniqueArray(spreadConstraintArb, { maxLength: 2, selector: (c) => `${String(c['topologyKey'])}/${String(c['whenUnsatisfiable'])}` }),
  priority: maybe(fc.constantFrom(0, 10, 100, 1000, -5), 0.8),
  preemptNever: fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  // terminationGracePeriodSeconds: victims and finished-set pods stay Terminating this long.
  grace: maybe(fc.constantFrom(0, 5, 45), 0.5),
});

type PodSpecGen = typeof podSpecArb extends fc.Arbitrary<infer T> ? T : never;

function renderPodSpec(s: PodSpecGen): Obj {
  const affinity = compact({ nodeAffinity: s.nodeAffinity, podAffinity: s.podAffinity, podAntiAffinity: s.podAntiAffinity });
  const nonEmpty = (o: Obj | undefined) => (o !== undefined && Object.keys(o).length > 0 ? o : undefined);
  if (!s.constrained) return renderPodSpec({ ...s, constrained: true, nodeSelector: undefined, nodeAffinity: undefined, podAffinity: undefined, podAntiAffinity: undefined, spread: [] });
  return compact({
    containers: s.containers.map((c, i) => renderContainer(c, `c${i}`)),
    initContainers: s.initContainer === undefined ? undefined : [renderContainer({ ...s.initContainer, hostPort: undefined }, 'init')],
    nodeSelector: nonEmpty(s.nodeSelector),
    tolerations: s.tolerations.length > 0 ? s.tolerations : undefined,
    affinity: nonEmpty(compact({ nodeAffinity: nonEmpty(affinity['nodeAffinity'] as Obj | undefined), podAffinity: nonEmpty(affinity['podAffinity'] as Obj | undefined), podAntiAffinity: nonEmpty(affinity['podAntiAffinity'] as Obj | undefined) })),
    topologySpreadConstraints: s.spread.length > 0 ? s.spread : undefined,
    // A priority comes from a PriorityClass, as upstream's Priority admission gives it (a
    // spec.priority of its own is refused); renderDoc declares the classes the entries name.
    priorityClassName: priorityClassOf(s)?.name,
    terminationGracePeriodSeconds: s.grace,
  });
}

/** The PriorityClass a generated pod spec names: one per (priority, preemptionPolicy Never). */
function priorityClassOf(s: PodSpecGen): { readonly name: string; readonly value: number; readonly never: boolean } | undefined {
  if (s.priority === undefined) return undefined;
  const never = s.preemptNever;
  return { name: `prio-${s.priority < 0 ? `m${-s.priority}` : s.priority}${never ? '-never' : ''}`, value: s.priority, never };
}

/** Workload entries (at 0 s, before the others) declaring the PriorityClasses `entries` name. */
function renderPriorityClasses(entries: readonly EntryGen[]): Obj[] {
  const classes = new Map<string, NonNullable<ReturnType<typeof priorityClassOf>>>();
  for (const e of entries) {
    const c = priorityClassOf(e.spec);
    if (c !== undefined) classes.set(c.name, c);
  }
  return [...classes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((c) => ({
    name: c.name,
    at: '0s',
    manifest: compact({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: c.name }, value: c.value, preemptionPolicy: c.never ? 'Never' : undefined }),
  }));
}

// ---------------------------------------------------------------- workload entries

// Arrival times are fractions (‰) of the run's duration, so that they fall inside the run.
const arrivalArb = fc.oneof(
  { withCrossShrink: true },
  { weight: 3, arbitrary: fc.record({ atPermille: fc.integer({ min: 0, max: 1000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      perMinute: fc.integer({ min: 1, max: 60 }),
      count: maybe(fc.integer({ min: 1, max: 10 }), 0.7),
      startPermille: maybe(fc.integer({ min: 0, max: 1000 }), 0.5),
      process: maybe(fc.constantFrom('poisson', 'fixed'), 0.5),
    }),
  },
);

const runDurationArb = fc.oneof(
  { withCrossShrink: true },
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('forever') },
  { weight: 1, arbitrary: secondsArb(1, 120) },
  { weight: 1, arbitrary: fc.record({ uniform: fc.record({ min: secondsArb(1, 10), max: secondsArb(10, 180) }) }) },
  { weight: 1, arbitrary: fc.record({ exponential: fc.record({ mean: secondsArb(5, 120) }) }) },
);

const pdbArb = fc.oneof({ withCrossShrink: true }, fc.integer({ min: 0, max: 3 }).map((minAvailable) => ({ minAvailable })), fc.constantFrom('0%', '50%', '100%').map((maxUnavailable) => ({ maxUnavailable })));

const entryArb = fc.record({
  kind: fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'Job', 'CronJob'),
  replicas: fc.integer({ min: 0, max: 8 }),
  namespace: fc.oneof({ withCrossShrink: true }, { weight: 4, arbitrary: fc.constant('default') }, { weight: 1, arbitrary: fc.constant('other') }),
  tier: fc.constantFrom(...TIERS),
  spec: podSpecArb,
  arrival: arrivalArb,
  runDuration: runDurationArb,
  pdb: maybe(pdbArb, 0.1),
});

type EntryGen = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

function renderEntries(e: EntryGen, i: number, durationS: number): Obj[] {
  const name = `w${i}`;
  const labels = { app: name, tier: e.tier };
  const spec = resolveSelf(renderPodSpec(e.spec), name);
  const time = (permille: number) => `${Math.floor((permille * durationS) / 1000)}s`;
  const a = e.arrival;
  const arrival: Obj =
    'atPermille' in a
      ? { at: time(a.atPermille) }
      : {
          rate: compact({
            perMinute: a.perMinute,
            // Keep rates of Deployments bounded: each arrival is a new Deployment of `replicas` pods.
            count: e.kind === 'Deployment' ? Math.min(a.count ?? 3, 3) : a.count,
            start: a.startPermille === undefined ? undefined : time(a.startPermille),
            process: a.process,
          }),
        };
  // StatefulSets, Jobs and CronJobs arrive once (a rate of them would be many sets); at a rate
  // they are Deployments.
  const once = e.kind === 'StatefulSet' || e.kind === 'Job' || e.kind === 'CronJob';
  const kind = once && !('atPermille' in a) ? 'Deployment' : e.kind;
  const manifest =
    kind === 'Pod'
      ? { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: e.namespace, labels }, spec }
      : kind === 'Job' || kind === 'CronJob'
        ? batchManifest(kind, name, e.namespace, e.replicas, { metadata: { labels }, spec })
        : {
          apiVersion: 'apps/v1',
          kind,
          metadata: { name, namespace: e.namespace },
          spec: compact({ replicas: e.replicas, serviceName: kind === 'StatefulSet' ? name : undefined, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec } }),
        };
  const out: Obj[] = [compact({ name, ...arrival, runDuration: e.runDuration, manifest })];
  if (e.pdb !== undefined) {
    out.push({
      name: `${name}-pdb`,
      manifest: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `${name}-pdb`, namespace: e.namespace }, spec: { ...e.pdb, selector: { matchLabels: { app: name } } } },
    });
  }
  return out;
}

/** A Job (completions `replicas`, none when 0: the work-queue form; parallelism 1–3) or a
 * CronJob every minute (concurrencyPolicy Allow / Forbid / Replace, chosen by `replicas`) of
 * one-pod Jobs. Their pods restart Never or OnFailure (Jobs refuse Always). */
function batchManifest(kind: 'Job' | 'CronJob', name: string, namespace: string, replicas: number, template: { metadata: Obj; spec: Obj }): Obj {
  const restartPolicy = replicas % 2 === 0 ? 'Never' : 'OnFailure';
  const podTemplate = { metadata: template.metadata, spec: { ...template.spec, restartPolicy } };
  const meta = { name, namespace };
  if (kind === 'Job') {
    return { apiVersion: 'batch/v1', kind, metadata: meta, spec: compact({ completions: replicas === 0 ? undefined : replicas, parallelism: 1 + (replicas % 3), template: podTemplate }) };
  }
  const concurrencyPolicy = (['Allow', 'Forbid', 'Replace'] as const)[replicas % 3];
  return { apiVersion: 'batch/v1', kind, metadata: meta, spec: { schedule: '* * * * *', concurrencyPolicy, jobTemplate: { spec: { template: podTemplate } } } };
}

// ---------------------------------------------------------------- scheduler configuration

const schedulerConfigArb = fc.record(
  {
    percentageOfNodesToScore: fc.constantFrom(0, 1, 10, 50, 100),
    profilePercentage: fc.constantFrom(0, 20, 100),
    backoff: fc.record({ initial: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 10 }) }),
    fit: fc.constantFrom('LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'),
    spreadList: fc.boolean(),
    hardPodAffinityWeight: fc.integer({ min: 0, max: 100 }),
    disabled: fc.subarray(['ImageLocality', 'NodeResourcesBalancedAllocation'], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

type SchedulerGen = typeof schedulerConfigArb extends fc.Arbitrary<infer T> ? T : never;

function renderScheduler(s: SchedulerGen): Obj {
  const pluginConfig: Obj[] = [];
  if (s.fit !== undefined) {
    const resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }];
    pluginConfig.push({
      name: 'NodeResourcesFit',
      args: {
        scoringStrategy:
          s.fit === 'RequestedToCapacityRatio'
            ? { type: s.fit, resources, requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } }
            : { type: s.fit, resources },
      },
    });
  }
  if (s.spreadList !== undefined) {
    pluginConfig.push({
      name: 'PodTopologySpread',
      args: s.spreadList ? { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway' }] } : { defaultingType: 'List' },
    });
  }
  if (s.hardPodAffinityWeight !== undefined) pluginConfig.push({ name: 'InterPodAffinity', args: { hardPodAffinityWeight: s.hardPodAffinityWeight } });
  const profile = compact({
    schedulerName: 'default-scheduler',
    percentageOfNodesToScore: s.profilePercentage,
    plugins: s.disabled === undefined ? undefined : { multiPoint: { disabled: s.disabled.map((name) => ({ name })) } },
    pluginConfig: pluginConfig.length > 0 ? pluginConfig : undefined,
  });
  return compact({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    percentageOfNodesToScore: s.percentageOfNodesToScore,
    podInitialBackoffSeconds: s.backoff?.initial,
    podMaxBackoffSeconds: s.backoff === undefined ? undefined : s.backoff.initial + s.backoff.extra,
    profiles: [profile],
  });
}

// ---------------------------------------------------------------- scenario

const latencyArb = fc.oneof({ withCrossShrink: true }, fc.constantFrom('0s', '1ms', '5ms'), fc.constant({ uniform: { min: '0s', max: '5ms' } }));
const startupArb = fc.oneof({ withCrossShrink: true }, fc.constantFrom('0s', '1s'), fc.constant({ lognormal: { p50: '1s', p99: '5s' } }));

const scenarioDocArb = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  durationS: fc.integer({ min: 30, max: MAX_DURATION_S }),
  apiWriteLatency: maybe(latencyArb, 0.3),
  startupLatency: maybe(startupArb, 0.3),
  sampleInterval: maybe(fc.constantFrom('30s', '1m', '2m'), 0.3),
  pools: fc.array(poolArb, { minLength: 1, maxLength: 3 }),
  entries: fc.array(entryArb, { minLength: 1, maxLength: 6 }),
  scheduler: maybe(schedulerConfigArb, 0.3),
});

type ScenarioGen = typeof scenarioDocArb extends fc.Arbitrary<infer T> ? T : never;

function renderDoc(g: ScenarioGen): Obj {
  return compact({
    apiVersion: 'ksim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'generated' },
    seed: g.seed,
    duration: `${g.durationS}s`,
    cluster: { nodePools: renderPools(g.pools) },
    controlPlane: g.apiWriteLatency === undefined ? undefined : { apiWriteLatency: g.apiWriteLatency },
    kubelet: g.startupLatency === undefined ? undefined : { startupLatency: g.startupLatency },
    metrics: g.sampleInterval === undefined ? undefined : { sampleInterval: g.sampleInterval },
    scheduler: g.scheduler === undefined ? undefined : { config: renderScheduler(g.scheduler) },
    workload: [...renderPriorityClasses(g.entries), ...g.entries.flatMap((e, i) => renderEntries(e, i, g.durationS))],
  });
}

/** The YAML text of a scenario document. */
export function scenarioYaml(doc: Obj): string {
  return stringify(doc, { lineWidth: 0 });
}

/** Random small scenarios (see the coverage list at the top of this file), as document and YAML. */
export function scenarioArb(): fc.Arbitrary<GeneratedScenario> {
  return scenarioDocArb.map((g) => {
    const doc = renderDoc(g);
    return { doc, yaml: scenarioYaml(doc) };
  });
}

// ---------------------------------------------------------------- faults

const faultArb = fc.record({
  kind: fc.constantFrom('nodeDown', 'zoneOutage', 'partition', 'kubeletFlap'),
  /** Which node (or zone), modulo those the cluster has. */
  pick: fc.nat({ max: 63 }),
  /** When, as a fraction of the run. */
  atPermille: fc.integer({ min: 0, max: 250 }),
  forS: fc.oneof({ withCrossShrink: true }, { weight: 5, arbitrary: fc.constantFrom(30, 60, 120, 400, 600) }, { weight: 1, arbitrary: fc.constant(null) }),
  periodS: fc.integer({ min: 20, max: 120 }),
  /** The whole pool of the picked node instead of the node (more pods hit). */
  wholePool: fc.boolean(),
});

type FaultGen = typeof faultArb extends fc.Arbitrary<infer T> ? T : never;

/** The scenario's `faults:` entries for the rendered pools (node names <pool>-<i>). */
function renderFaults(faults: readonly FaultGen[], pools: readonly Obj[], durationS: number): Obj[] {
  const nodes = pools.flatMap((p) => Array.from({ length: p['count'] as number }, (_, i) => `${String(p['name'])}-${i}`));
  const zones = [...new Set(pools.flatMap((p) => {
    const zs = (p['zones'] ?? []) as string[];
    return Array.from({ length: Math.min(p['count'] as number, zs.length) }, (_, i) => zs[i] as string);
  }))].sort();
  return faults.map((f) => {
    const at = `${Math.floor((f.atPermille * durationS) / 1000)}s`;
    const forever = f.forS === null;
    const dur = forever ? 'forever' : `${f.forS}s`;
    if (f.kind === 'zoneOutage' && zones.length > 0) return { zoneOutage: { zone: zones[f.pick % zones.length], at, for: dur } };
    const node = nodes[f.pick % nodes.length] as string;
    const target = f.wholePool ? { pool: node.slice(0, node.lastIndexOf('-')) } : { nodes: [node] };
    // A flap must end (spec.ts): a forever one flaps for 5 minutes.
    if (f.kind === 'kubeletFlap') return { kubeletFlap: { ...target, at, for: forever ? '300s' : dur, period: `${f.periodS}s` } };
    return { [f.kind === 'zoneOutage' ? 'nodeDown' : f.kind]: { ...target, at, for: dur } };
  });
}

/** Like scenarioArb, with 1–3 node faults (see the coverage list at the top of this file). */
export function faultyScenarioArb(): fc.Arbitrary<GeneratedScenario> {
  return fc.record({ gen: scenarioDocArb, faults: fc.array(faultArb, { minLength: 1, maxLength: 3 }) }).map(({ gen, faults }) => {
    // At least 8 minutes, so that a fault in the first part of the run lasts past detection
    // (~40 s) and the default 300 s of not-ready / unreachable tolerations: pods get evicted.
    const g = { ...gen, durationS: Math.max(gen.durationS, 480) };
    const doc = renderDoc(g);
    const pools = ((doc['cluster'] as Obj)['nodePools'] ?? []) as Obj[];
    doc['faults'] = renderFaults(faults, pools, g.durationS);
    return { doc, yaml: scenarioYaml(doc) };
  });
}
