// v1 ResourceQuota, validated as upstream's API validation does (pkg/apis/core/validation/
// validation.go ValidateResourceQuota: ValidateResourceQuotaSpec with
// ValidateResourceQuotaResourceName, ValidateResourceQuantityValue, validateResourceQuotaScopes
// and validateScopeSelector / validateScopedResourceSelectorRequirement; ValidateResourceQuotaStatus).
// Upstream collects every error; ksim stops at the first, in file order: spec.hard, spec.scopes,
// spec.scopeSelector, status.
import { isValidLabelKey } from '../api/labels.js';
import { parseQuantity, type Quantity } from '../api/quantity.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';
import {
  CONFLICTING_SCOPES, EXISTS_ONLY_SCOPES, isIntegerResourceName, isResourceQuotaScopeValidForResource, isStandardQuotaResourceName, isStandardResourceName,
  isStandardResourceQuotaScope, QUOTA_SCOPES, resourcesForScope,
} from '../controlplane/quota-names.js';
import { isEnforcedQuotaResource, parseQuotaAmount } from '../controlplane/resource-quota.js';

type Obj = Record<string, unknown>;

const STANDARD_NAMES = 'cpu, memory, ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage, requests.storage, limits.cpu, limits.memory, limits.ephemeral-storage, '
  + 'pods, services, services.loadbalancers, services.nodeports, configmaps, secrets, persistentvolumeclaims, replicationcontrollers, resourcequotas, hugepages-<size>, requests.hugepages-<size>';
const QUOTA_NAMES = `${STANDARD_NAMES}, or a fully qualified name such as count/deployments.apps or requests.nvidia.com/gpu`;
const SCOPES = QUOTA_SCOPES.join(', ');

/** v1 ResourceQuota: spec (hard, scopes, scopeSelector) and status (hard, used). */
export function readResourceQuota(doc: YamlDoc, path: Path, obj: Obj, warnings?: string[]): void {
  const sp = [...path, 'spec'];
  const spec = obj['spec'];
  if (!isObj(spec)) throw doc.error(sp, 'a resource quota spec (with hard)', describe(spec));
  const hard = readResourceList(doc, [...sp, 'hard'], spec['hard'], true);
  if (warnings !== undefined) {
    const md = (isObj(obj['metadata']) ? obj['metadata'] : {}) as Obj;
    const who = `ResourceQuota ${typeof md['namespace'] === 'string' ? md['namespace'] : 'default'}/${String(md['name'])}`;
    for (const r of hard) {
      if (!isEnforcedQuotaResource(r)) warnings.push(doc.warning([...sp, 'hard', r], `is not enforced (${who}): ${notEnforcedWhy(r)}; creates it would refuse are admitted`));
    }
  }
  readScopes(doc, sp, spec['scopes'], hard);
  readScopeSelector(doc, [...sp, 'scopeSelector'], spec['scopeSelector'], hard);
  const status = obj['status'];
  if (isObj(status)) {
    readResourceList(doc, [...path, 'status', 'hard'], status['hard']);
    readResourceList(doc, [...path, 'status', 'used'], status['used']);
  }
}

/** Why ksim does not enforce a quota resource (one isEnforcedQuotaResource refuses). */
function notEnforcedWhy(r: string): string {
  if (r === 'requests.storage' || r === 'persistentvolumeclaims' || r === 'count/persistentvolumeclaims' || r.includes('.storageclass.storage.k8s.io/')) return 'ksim simulates no PersistentVolumeClaims';
  const kind: Record<string, string> = { secrets: 'Secrets', configmaps: 'ConfigMaps', replicationcontrollers: 'ReplicationControllers' };
  const bare = r.startsWith('count/') ? r.slice('count/'.length) : r;
  if (kind[bare] !== undefined) return `ksim stores no ${kind[bare]}`;
  if (r.startsWith('count/')) return `ksim stores no ${bare}`;
  // A name with a domain that is not requests.<extended resource>: no upstream evaluator charges
  // it either (pods.go charges extended resources only as requests.<name>).
  return 'no quota evaluator charges it, upstream\'s neither (extended resources are charged as requests.<name>)';
}

/** A hard (or used) list: each name one a quota may track (ValidateResourceQuotaResourceName),
 * each amount a non-negative quantity, whole for object counts and extended resources
 * (ValidateResourceQuantityValue); `enforced`: spec.hard, whose amounts ksim enforces are also
 * counted (in range). Returns the names, in file order. */
function readResourceList(doc: YamlDoc, p: Path, list: unknown, enforced = false): string[] {
  if (list === undefined || list === null) return [];
  if (!isObj(list)) throw doc.error(p, 'a mapping of resource names to quantities', describe(list));
  for (const [r, q] of Object.entries(list)) {
    const why = quotaResourceNameProblem(r);
    if (why !== null) throw doc.error(p, `a resource a quota tracks (${why}${hint(r)}): ${QUOTA_NAMES}`, JSON.stringify(r), r);
    const qp = [...p, r];
    if (typeof q !== 'string' && typeof q !== 'number') throw doc.error(qp, 'a quantity', describe(q));
    const quantity = located(doc, qp, () => parseQuantity(q));
    if (quantity.mantissa < 0n) throw doc.error(qp, 'a non-negative quantity', JSON.stringify(q));
    if (isIntegerResourceName(r) && !isWholeAfterMilli(quantity)) throw doc.error(qp, `a whole number (${r} counts objects or devices: must be an integer)`, JSON.stringify(q));
    // What ksim enforces it counts in safe integers (millicores, bytes, units).
    if (enforced && isEnforcedQuotaResource(r)) located(doc, qp, () => parseQuotaAmount(r, q));
  }
  return Object.keys(list);
}

/** Why upstream refuses `name` in a quota (validateResourceName, then
 * ValidateResourceQuotaResourceName), or null. */
function quotaResourceNameProblem(name: string): string | null {
  if (!isValidLabelKey(name)) return 'must be a qualified name: an optional DNS subdomain prefix and "/", then at most 63 characters (alphanumerics, "-", "_", ".") that start and end with an alphanumeric';
  if (name.includes('/')) return null;
  if (!isStandardResourceName(name)) return 'must be a standard resource type or fully qualified';
  if (!isStandardQuotaResourceName(name)) return 'must be a standard resource for quota';
  return null;
}

/** "; did you mean requests.cpu?" for a name one letter from a standard one (request.cpu,
 * limit.memory, pod). */
function hint(name: string): string {
  const fixed = [name.replace(/^request\./, 'requests.'), name.replace(/^limit\./, 'limits.'), `${name}s`].find((n) => n !== name && isStandardQuotaResourceName(n));
  return fixed === undefined ? '' : `; did you mean ${fixed}?`;
}

/** Quantity.MilliValue() % 1000 == 0: whole once rounded up to thousandths (ValidateResourceQuantityValue). */
function isWholeAfterMilli(q: Quantity): boolean {
  const e = q.exponent + 3;
  const abs = q.mantissa < 0n ? -q.mantissa : q.mantissa;
  let milli: bigint;
  if (e >= 0) milli = abs * 10n ** BigInt(e);
  else {
    const d = 10n ** BigInt(-e);
    milli = abs / d + (abs % d === 0n ? 0n : 1n);
  }
  return milli % 1000n === 0n;
}

/** spec.scopes (validateResourceQuotaScopes): known scopes, each able to track every standard
 * resource in spec.hard, no conflicting pair. */
function readScopes(doc: YamlDoc, sp: Path, scopes: unknown, hard: readonly string[]): void {
  if (scopes === undefined || scopes === null) return;
  const p = [...sp, 'scopes'];
  if (!Array.isArray(scopes)) throw doc.error(p, `a list of scopes (${SCOPES})`, describe(scopes));
  scopes.forEach((s, i) => {
    if (typeof s !== 'string' || !isStandardResourceQuotaScope(s)) throw doc.error([...p, i], `one of ${SCOPES} (unsupported scope)`, describe(s));
    checkScopeResources(doc, [...p, i], s, hard);
  });
  checkConflicts(doc, p, scopes as string[]);
}

/** spec.scopeSelector.matchExpressions (validateScopedResourceSelectorRequirement). */
function readScopeSelector(doc: YamlDoc, p: Path, selector: unknown, hard: readonly string[]): void {
  if (selector === undefined || selector === null) return;
  if (!isObj(selector)) throw doc.error(p, 'a scope selector (with matchExpressions)', describe(selector));
  const exprs = selector['matchExpressions'];
  if (exprs === undefined || exprs === null) return;
  const ep = [...p, 'matchExpressions'];
  if (!Array.isArray(exprs)) throw doc.error(ep, 'a list of scope selector requirements ({scopeName, operator, values})', describe(exprs));
  const names: string[] = [];
  exprs.forEach((e, i) => {
    const ip = [...ep, i];
    if (!isObj(e)) throw doc.error(ip, 'a scope selector requirement ({scopeName, operator, values})', describe(e));
    const scope = e['scopeName'];
    if (typeof scope !== 'string' || !isStandardResourceQuotaScope(scope)) throw doc.error([...ip, 'scopeName'], `one of ${SCOPES} (unsupported scope)`, describe(scope));
    checkScopeResources(doc, [...ip, 'scopeName'], scope, hard);
    const op = e['operator'];
    if (EXISTS_ONLY_SCOPES.has(scope) && op !== 'Exists') {
      throw doc.error([...ip, 'operator'], `Exists (the only operator for scope ${scope}: must be 'Exists' when scope is any of Terminating, NotTerminating, BestEffort, NotBestEffort or CrossNamespacePodAffinity)`, describe(op));
    }
    const values = e['values'];
    if (values !== undefined && values !== null && !Array.isArray(values)) throw doc.error([...ip, 'values'], 'a list of values', describe(values));
    const count = Array.isArray(values) ? values.length : 0;
    if (op === 'In' || op === 'NotIn') {
      if (count === 0) throw doc.error(Array.isArray(values) ? [...ip, 'values'] : ip, `at least one value in values (must be at least one value when \`operator\` is 'In' or 'NotIn' for scope selector)`, Array.isArray(values) ? 'an empty list' : undefined);
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (count !== 0) throw doc.error([...ip, 'values'], `no values (must be no value when \`operator\` is 'Exist' or 'DoesNotExist' for scope selector)`, describe(values));
    } else {
      throw doc.error([...ip, 'operator'], 'one of In, NotIn, Exists, DoesNotExist (not a valid selector operator)', describe(op));
    }
    names.push(scope);
  });
  checkConflicts(doc, ep, names);
}

/** IsResourceQuotaScopeValidForResource for each standard resource of spec.hard, in name order. */
function checkScopeResources(doc: YamlDoc, p: Path, scope: string, hard: readonly string[]): void {
  for (const r of [...hard].sort()) {
    if (isStandardQuotaResourceName(r) && !isResourceQuotaScopeValidForResource(scope, r)) {
      throw doc.error(p, `a scope that can track every resource of spec.hard: ${scope} tracks only ${resourcesForScope(scope).join(', ')} among the standard ones (unsupported scope applied to resource)`, `${scope} with spec.hard ${r}`);
    }
  }
}

function checkConflicts(doc: YamlDoc, p: Path, scopes: readonly string[]): void {
  for (const [a, b] of CONFLICTING_SCOPES) {
    if (scopes.includes(a) && scopes.includes(b)) throw doc.error(p, `not both ${a} and ${b} (conflicting scopes)`, `${a} and ${b}`);
  }
}
