#!/usr/bin/env node
// Generates src/workload/known-fields.ts from the kubernetes-types declarations in node_modules:
// for every object type reachable from the kinds ksim reads, its fields and their JSON types.
// ksim uses the table as kubectl's strict decoding does: a field that is not declared is
// warned about ("unknown field"), a value of the wrong type is an error.
//
//   node scripts/gen-known-fields.mjs            # rewrites src/workload/known-fields.ts
//   node scripts/gen-known-fields.mjs --check    # exits 1 if the file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = join(ROOT, 'node_modules', 'kubernetes-types');
const OUT = join(ROOT, 'src', 'workload', 'known-fields.ts');

/** The kinds ksim reads (scenario manifests, cluster snapshots), by module. */
const ROOTS = [
  ['core/v1', 'Pod'],
  ['core/v1', 'Node'],
  ['core/v1', 'Namespace'],
  ['core/v1', 'Service'],
  ['core/v1', 'ReplicationController'],
  ['core/v1', 'ResourceQuota'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['scheduling/v1', 'PriorityClass'],
  ['core/v1', 'LimitRange'],
  ['node/v1', 'RuntimeClass'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  // Other served versions of a kind listed above: KIND_VERSION_TYPES, by "apiVersion kind".
  ['autoscaling/v1', 'HorizontalPodAutoscaler'],
];

/** Fields added between kubernetes-types' version and Kubernetes v1.36 (the version ksim
 * models), by type. Structured ones are typed x (any JSON): ksim does not read them, and they
 * must only not be warned about. */
const ADDED_FIELDS = {
  PodSpec: { resources: 'ResourceRequirements', hostnameOverride: 's', workloadRef: 'x' }, // 1.32, 1.34, 1.35
  PodSecurityContext: { supplementalGroupsPolicy: 's', seLinuxChangePolicy: 's' }, // 1.31, 1.32
  Container: { restartPolicyRules: 'x' }, // 1.34
  Lifecycle: { stopSignal: 's' }, // 1.33
  Volume: { image: 'x' }, // 1.31
  EnvVarSource: { fileKeyRef: 'x' }, // 1.34
  ResourceClaim: { request: 's' }, // 1.31
  PodResourceClaim: { resourceClaimName: 's', resourceClaimTemplateName: 's' }, // 1.31
  PodStatus: { observedGeneration: 'n', extendedResourceClaimStatus: 'x' }, // 1.33, 1.34
  PodCondition: { observedGeneration: 'n' }, // 1.33
  ContainerStatus: { user: 'x', allocatedResourcesStatus: 'x', stopSignal: 's' }, // 1.31, 1.31, 1.33
  NodeStatus: { features: 'x', declaredFeatures: '[]s' }, // 1.31, 1.35
  NodeSystemInfo: { swap: 'x' }, // 1.32
  DeploymentStatus: { terminatingReplicas: 'n' }, // 1.33
  ReplicaSetStatus: { terminatingReplicas: 'n' }, // 1.33
  HPAScalingRules: { tolerance: 'q' }, // 1.33
};

/** Aliases of primitive types declared in kubernetes-types. */
const ALIASES = { 'api/resource.Quantity': 'q', 'meta/v1.Time': 's', 'meta/v1.MicroTime': 's' };

/** module → { imports: name → module, interfaces: name → [field, tsType][] } */
const modules = new Map();

function load(mod) {
  const cached = modules.get(mod);
  if (cached !== undefined) return cached;
  const text = readFileSync(join(TYPES, `${mod}.d.ts`), 'utf8');
  const imports = new Map();
  for (const m of text.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm)) {
    const from = join(dirname(mod), m[2]).replace(/\\/g, '/');
    for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) imports.set(name, from);
  }
  const interfaces = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^export interface (\w+) \{$/.exec(lines[i]);
    if (head === null) continue;
    const fields = [];
    for (i++; lines[i] !== '}'; i++) {
      const f = /^ {4}(?:readonly )?(\w+)\??: (.*)$/.exec(lines[i]);
      if (f === null) continue;
      let type = f[2];
      if (type === '{') {
        // {\n [name: string]: T;\n };
        const v = /^ {8}\[name: string\]: (.*);$/.exec(lines[i + 1]);
        if (v === null || lines[i + 2] !== '    };') throw new Error(`${mod}: unexpected map type near line ${i + 1}`);
        type = `{}${v[1]}`;
        i += 2;
      } else {
        type = type.replace(/;$/, '');
      }
      fields.push([f[1], type]);
    }
    interfaces.set(head[1], fields);
  }
  const aliases = new Set([...text.matchAll(/^export type (\w+) = /gm)].map((m) => m[1]));
  const entry = { imports, interfaces, aliases };
  modules.set(mod, entry);
  return entry;
}

/** Qualified names of the types reached, and their encoded fields. */
const out = new Map();
const queue = [];

function resolveName(mod, name) {
  const m = load(mod);
  if (m.interfaces.has(name) || m.aliases.has(name)) return `${mod}.${name}`;
  const from = m.imports.get(name);
  if (from === undefined) throw new Error(`${mod}: unknown type ${name}`);
  return resolveName(from, name);
}

/** Encodes a TypeScript type: s string, n number, b boolean, q quantity, i int-or-string,
 * x anything, []T list, {}T map, or a type name. */
function encode(mod, ts) {
  if (ts === 'string' || /^"[^"]*"$/.test(ts)) return 's';
  if (ts === 'number') return 'n';
  if (ts === 'boolean') return 'b';
  if (ts === 'number | string' || ts === 'string | number') return 'i';
  const arr = /^Array<(.*)>$/.exec(ts);
  if (arr !== null) return `[]${encode(mod, arr[1])}`;
  if (ts.startsWith('{}')) return `{}${encode(mod, ts.slice(2))}`;
  if (!/^\w+$/.test(ts)) throw new Error(`${mod}: unsupported type ${ts}`);
  const q = resolveName(mod, ts);
  if (ALIASES[q] !== undefined) return ALIASES[q];
  const [qm, qn] = [q.slice(0, q.lastIndexOf('.')), q.slice(q.lastIndexOf('.') + 1)];
  const fields = load(qm).interfaces.get(qn);
  if (fields === undefined) throw new Error(`${q}: not an interface`);
  if (fields.length === 0) return 'x'; // RawExtension, FieldsV1: free-form JSON
  if (!out.has(q)) {
    out.set(q, null);
    queue.push(q);
  }
  return q;
}

for (const [mod, name] of ROOTS) encode(mod, name);
while (queue.length > 0) {
  const q = queue.shift();
  const [qm, qn] = [q.slice(0, q.lastIndexOf('.')), q.slice(q.lastIndexOf('.') + 1)];
  const fields = load(qm).interfaces.get(qn);
  const encoded = fields.map(([f, t]) => [f, encode(qm, t)]);
  for (const [f, t] of Object.entries(ADDED_FIELDS[qn] ?? {})) {
    if (encoded.some(([g]) => g === f)) throw new Error(`${q}.${f} is declared already: drop it from ADDED_FIELDS`);
    encoded.push([f, t]);
  }
  out.set(q, encoded.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
for (const t of Object.keys(ADDED_FIELDS)) {
  if (![...out.keys()].some((q) => q.endsWith(`.${t}`))) throw new Error(`ADDED_FIELDS: no type ${t}`);
}

// Short names where unambiguous (PodSpec), qualified otherwise (apps/v1.DeploymentStatus is
// unique too, so in practice every name is short).
const short = new Map();
const count = new Map();
for (const q of out.keys()) {
  const n = q.slice(q.lastIndexOf('.') + 1);
  count.set(n, (count.get(n) ?? 0) + 1);
}
for (const q of out.keys()) {
  const n = q.slice(q.lastIndexOf('.') + 1);
  short.set(q, count.get(n) === 1 ? n : q);
}
const rename = (code) => code.replace(/[\w/]+\.\w+$/, (q) => short.get(q) ?? q);

const names = [...out.keys()].sort((a, b) => short.get(a).localeCompare(short.get(b)));
const body = names
  .map((q) => {
    const fields = out.get(q).map(([f, t]) => `${f}: '${rename(t)}'`).join(', ');
    return `  ${JSON.stringify(short.get(q)).replace(/^"(\w+)"$/, '$1')}: { ${fields} },`;
  })
  .join('\n');
const version = JSON.parse(readFileSync(join(TYPES, 'package.json'), 'utf8')).version;
const firstRoots = ROOTS.filter(([, n], i) => ROOTS.findIndex(([, o]) => o === n) === i);
const laterRoots = ROOTS.filter(([, n], i) => ROOTS.findIndex(([, o]) => o === n) !== i);
const roots = firstRoots.map(([m, n]) => `  ${n}: '${short.get(`${m}.${n}`)}',`).join('\n');
const versionedRoots = laterRoots.map(([m, n]) => `  '${m} ${n}': '${short.get(`${m}.${n}`)}',`).join('\n');
const text = `// GENERATED by scripts/gen-known-fields.mjs from kubernetes-types ${version}; do not edit.
// The fields of every object type reachable from the kinds ksim reads, with their JSON types:
// s string, n number, b boolean, q quantity (string or number), i int-or-string, x any JSON,
// []T a list of T, {}T a mapping of names to T, otherwise the name of another type here.
// Fields added up to Kubernetes v1.36 are merged in from the script's ADDED_FIELDS.

export const KNOWN_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
${body}
};

/** The type of each kind's top-level object (its first version in ROOTS). */
export const KIND_TYPES: Readonly<Record<string, string>> = {
${roots}
};

/** The type of a kind's object in another version it is served in, by "apiVersion kind". */
export const KIND_VERSION_TYPES: Readonly<Record<string, string>> = {
${versionedRoots}
};
`;

if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== text) {
    process.stderr.write(`${OUT} is out of date: run node scripts/gen-known-fields.mjs\n`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT}: ${names.length} types\n`);
}
