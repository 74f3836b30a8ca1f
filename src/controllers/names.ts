// Generated object names, as upstream: a prefix plus a 5-character suffix from the alphabet of
// k8s.io/apimachinery/pkg/util/rand (no vowels, no confusable digits), drawn from a seeded stream.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RandomStream } from '../engine/random.js';
import { podStoreKey, WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import { canonicalJson } from '../api/values.js';
import { comparableTemplate } from '../api/template-defaults.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Upstream maxGeneratedNameLength (k8s.io/apiserver pkg/storage/names/generate.go): 63, a
 * name's longest, less the 5-character random suffix. */
export const MAX_GENERATED_NAME_LENGTH = 58;

/** ALPHANUMS as character codes. */
const ALPHANUM_CODES = Array.from(ALPHANUMS, (c) => c.charCodeAt(0));

/** Upstream's 5-character suffix, as one string made from the five codes (built a character at
 * a time it was four strings made and dropped per generated pod name). */
export function randomSuffix(rng: RandomStream): string {
  const a = ALPHANUM_CODES[rng.int(ALPHANUMS.length)] as number;
  const b = ALPHANUM_CODES[rng.int(ALPHANUMS.length)] as number;
  const c = ALPHANUM_CODES[rng.int(ALPHANUMS.length)] as number;
  const d = ALPHANUM_CODES[rng.int(ALPHANUMS.length)] as number;
  return String.fromCharCode(a, b, c, d, ALPHANUM_CODES[rng.int(ALPHANUMS.length)] as number);
}

/** Upstream rand.SafeEncodeString: maps each byte onto the safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32-bit. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The pod-template-hash label value of a template: FNV-32a of its canonical JSON, safe-encoded
 * like upstream controller.ComputeHash (which hashes Go's object dump, so values differ). */
export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(canonicalJson(template))));
}

/** Upstream apps.ControllerRevisionHashLabelKey (apps/v1 StatefulSetRevisionLabel and
 * DefaultDaemonSetUniqueLabelKey): the label with the revision a StatefulSet's or a DaemonSet's
 * pod was made from. A DaemonSet's pods carry the revision's hash, a StatefulSet's the
 * revision's name (controllerRevisionName). */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';

/** The hash of the ControllerRevision a DaemonSet or a StatefulSet makes of its pod template
 * (upstream history.HashControllerRevision: FNV-32 of the revision's data, the template,
 * rand.SafeEncodeString of the uint32 in decimal, so 1 to 10 characters): ksim's template hash
 * (podTemplateHash, as a Deployment names its ReplicaSets) of the template as the API server
 * stores it and as the controllers compare templates (comparableTemplate without ksim's
 * ksim.io/workload annotation, which a later entry re-applying the set changes: no change the
 * user made). Its value is not upstream's (which hashes Go's JSON of the stored template), its
 * length spread is. Computed once per template change, not per pod. */
export function templateRevisionHash(template: unknown): string {
  return podTemplateHash(comparableTemplate(template ?? {}, { annotations: [WORKLOAD_ANNOTATION] }));
}

/** Upstream history.ControllerRevisionName (pkg/controller/history/controller_history.go):
 * `<prefix>-<hash>`, the prefix (the owner's name) cut to 223 bytes so that the name is at most
 * 253; nothing keeps it to a label value's 63 (kubernetes/kubernetes#64023, open). */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/**
 * Generated pod names `<prefix>-<5 random chars>`, drawn again while a pod of that name exists
 * or its create is in flight (upstream's API server would refuse the create with AlreadyExists
 * and the controller would try again). One per controller; `release` when the create commits.
 */
export class PodNames {
  private readonly inFlight = new Set<string>();
  /** The name `reserve` returned last, its namespace and its store key ('' before the first). */
  private lastName = '';
  private lastNamespace = '';
  private lastKey = '';

  constructor(
    private readonly cluster: ClusterState,
    private readonly rng: RandomStream,
  ) {}

  /** A free name for a pod of generateName `<prefix>-`. The API server's SimpleNameGenerator
   * (k8s.io/apiserver pkg/storage/names/generate.go GenerateName) cuts a base longer than
   * maxGeneratedNameLength (58) to 58 characters before the 5-character suffix, so a name is at
   * most 63 characters: a 60-character ReplicaSet, Job or DaemonSet gets pods named by its first
   * 58 characters (no "-") and the suffix. */
  reserve(namespace: string, prefix: string): string {
    // The base is `${prefix}-`: cut, it is the prefix's first 58 characters.
    const cut = prefix.length >= MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH) : null;
    for (;;) {
      const name = cut === null ? `${prefix}-${randomSuffix(this.rng)}` : cut + randomSuffix(this.rng);
      const key = `${namespace}/${name}`;
      if (!this.cluster.pods.has(key) && !this.inFlight.has(key)) {
        this.inFlight.add(key);
        this.lastName = name;
        this.lastNamespace = namespace;
        this.lastKey = key;
        return name;
      }
    }
  }

  /** `pod`'s store key (podStoreKey): the one `reserve` made when the pod has the name reserved
   * last, so that the create, the store and the release use one string, hashed once, instead of
   * the same text made again for each; else made from the pod. */
  keyFor(pod: Pod): string {
    const md = pod.metadata;
    if (this.lastKey !== '' && md?.name === this.lastName && (md.namespace ?? 'default') === this.lastNamespace) return this.lastKey;
    return podStoreKey(pod);
  }

  /** The create of the pod of store key `key` has been answered. */
  release(key: string): void {
    this.inFlight.delete(key);
  }
}
