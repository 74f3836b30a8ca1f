// autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscaler, validated as upstream's API
// validation does (pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscalerSpec:
// scaleTargetRef's kind and name, minReplicas ≥ 1 — the HPAScaleToZero gate is alpha, off — and
// maxReplicas ≥ 1 and ≥ minReplicas; v1's targetCPUUtilizationPercentage ≥ 1; v2's metrics,
// each with the source of its type and only that one (validateMetricSpec, validateMetricTarget),
// and behavior (validateBehavior: windows, select policies, scaling policies)). The metrics and
// behavior themselves are not simulated: one warning per HPA says what ksim does instead
// (src/controllers/horizontal-pod-autoscaler.ts).
import { isDns1123Label } from '../api/labels.js';
import { parseQuantity } from '../api/quantity.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import { located, type Path, type YamlDoc } from '../api/yaml-source.js';
import { SCALABLE_KINDS } from '../controllers/horizontal-pod-autoscaler.js';

type Obj = Record<string, unknown>;

const METRIC_TYPES = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'];
const INT32_MAX = 2147483647;

function int(doc: YamlDoc, path: Path, v: unknown, min: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > INT32_MAX) throw doc.error(path, what, describe(v));
  return v;
}

/** Validates an HPA's spec; warns (once per HPA) that ksim only keeps its target's replicas
 * within [minReplicas, maxReplicas], and when the target is not a kind ksim scales. */
export function readHorizontalPodAutoscaler(doc: YamlDoc, path: Path, obj: Obj, warnings: string[] | undefined): void {
  const sp = [...path, 'spec'];
  const spec = obj['spec'];
  if (!isObj(spec)) throw doc.error(sp, 'a horizontal pod autoscaler spec (scaleTargetRef, minReplicas, maxReplicas)', describe(spec));
  const ref = spec['scaleTargetRef'];
  const rp = [...sp, 'scaleTargetRef'];
  if (!isObj(ref)) throw doc.error(rp, 'a scale target reference ({apiVersion, kind, name})', describe(ref));
  for (const f of ['kind', 'name']) {
    const v = ref[f];
    // Upstream ValidateCrossVersionObjectReference: both required, valid path segment names.
    if (!isPathSegmentName(v)) throw doc.error([...rp, f], `the target's ${f} (required)`, describe(v));
  }
  if (ref['apiVersion'] !== undefined && typeof ref['apiVersion'] !== 'string') throw doc.error([...rp, 'apiVersion'], 'a string such as apps/v1', describe(ref['apiVersion']));
  const min = spec['minReplicas'] === undefined || spec['minReplicas'] === null ? 1 : int(doc, [...sp, 'minReplicas'], spec['minReplicas'], 1, 'an integer >= 1 (must be greater than or equal to 1)');
  if (spec['maxReplicas'] === undefined || spec['maxReplicas'] === null) throw doc.error([...sp, 'maxReplicas'], 'maxReplicas (required)');
  const max = int(doc, [...sp, 'maxReplicas'], spec['maxReplicas'], 1, 'an integer >= 1 (must be greater than or equal to 1)');
  if (max < min) throw doc.error([...sp, 'maxReplicas'], `an integer >= minReplicas ${min} (must be greater than or equal to \`minReplicas\`)`, describe(max));
  if (obj['apiVersion'] === 'autoscaling/v1') {
    const t = spec['targetCPUUtilizationPercentage'];
    if (t !== undefined && t !== null) int(doc, [...sp, 'targetCPUUtilizationPercentage'], t, 1, 'an integer >= 1 (must be greater than or equal to 1)');
  } else {
    const metrics = spec['metrics'];
    if (metrics !== undefined && metrics !== null) {
      if (!Array.isArray(metrics)) throw doc.error([...sp, 'metrics'], 'a list of metric specs', describe(metrics));
      metrics.forEach((m, i) => readMetricSpec(doc, [...sp, 'metrics', i], m));
    }
    readBehavior(doc, [...sp, 'behavior'], spec['behavior']);
  }
  const md = obj['metadata'] as Obj;
  const who = `HorizontalPodAutoscaler ${String(md['namespace'])}/${String(md['name'])}`;
  const apiVersion = typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : '';
  const target = `${String(ref['kind'])} ${String(ref['name'])}`;
  if (apiVersion !== 'apps/v1' || !SCALABLE_KINDS.includes(ref['kind'] as string)) {
    warnings?.push(doc.warning(sp, `${who}: its target ${apiVersion === '' ? '(no apiVersion) ' : `${apiVersion} `}${target} is not a kind ksim can scale (apps/v1 ${SCALABLE_KINDS.join(', ')}): the HPA does nothing`, 'scaleTargetRef'));
    return;
  }
  warnings?.push(doc.warning(path, `${who}: metric-driven scaling is not simulated (ksim has no metrics): it keeps ${target}'s replicas within [${min}, ${max}] only, every 15 s`, 'spec'));
}

/** Upstream IsValidPathSegmentName: not "." or "..", no "/" or "%" (and, as required, not empty). */
function isPathSegmentName(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && v !== '.' && v !== '..' && !/[/%]/.test(v);
}

const has = (o: Obj, f: string): boolean => o[f] !== undefined && o[f] !== null;

/** The source field each metric type needs (upstream validateMetricSpec's expectedField). */
const SOURCE_OF: Readonly<Record<string, string>> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

/** Upstream validateMetricSpec: a known type, the source of that type and no other, the source
 * checked. */
function readMetricSpec(doc: YamlDoc, p: Path, m: unknown): void {
  if (!isObj(m)) throw doc.error(p, 'a metric spec ({type, and its source})', describe(m));
  const type = m['type'];
  if (!METRIC_TYPES.includes(type as string)) throw doc.error([...p, 'type'], `one of ${METRIC_TYPES.join(', ')}`, describe(type));
  const field = SOURCE_OF[type as string] as string;
  if (!has(m, field)) throw doc.error([...p, field], `a ${field} source for type ${String(type)} (must populate information for the given metric source)`);
  for (const other of Object.values(SOURCE_OF)) {
    if (other !== field && has(m, other)) throw doc.error([...p, other], `no ${other} source for type ${String(type)} (must populate the given metric source only)`, describe(m[other]));
  }
  const src = m[field];
  const sp = [...p, field];
  if (!isObj(src)) throw doc.error(sp, `a ${field} metric source`, describe(src));
  const tp = [...sp, 'target'];
  // Each source's own fields first, then its target (upstream's order).
  if (type === 'Resource' || type === 'ContainerResource') {
    if (typeof src['name'] !== 'string' || src['name'] === '') throw doc.error([...sp, 'name'], 'a resource name such as cpu (must specify a resource name)', describe(src['name']));
    if (type === 'ContainerResource') {
      const c = src['container'];
      if (typeof c !== 'string' || !isDns1123Label(c)) throw doc.error([...sp, 'container'], 'a container name: a lowercase RFC 1123 label (must specify a container)', describe(c));
    }
    const target = readMetricTarget(doc, tp, src['target']);
    if (!has(target, 'averageUtilization') && !has(target, 'averageValue')) throw doc.error([...tp, 'averageUtilization'], 'averageUtilization or averageValue (must set either a target raw value or a target utilization)');
    if (has(target, 'averageUtilization') && has(target, 'averageValue')) throw doc.error([...tp, 'averageValue'], 'no averageValue with averageUtilization (may not set both a target raw value and a target utilization)', describe(target['averageValue']));
    return;
  }
  if (type === 'Object') {
    const ref = src['describedObject'];
    const rp = [...sp, 'describedObject'];
    if (!isObj(ref)) throw doc.error(rp, 'the described object ({apiVersion, kind, name})', describe(ref));
    for (const f of ['kind', 'name']) if (!isPathSegmentName(ref[f])) throw doc.error([...rp, f], `the object's ${f} (required)`, describe(ref[f]));
  }
  readMetricIdentifier(doc, [...sp, 'metric'], src['metric']);
  const target = readMetricTarget(doc, tp, src['target']);
  if (type === 'Pods') {
    if (!has(target, 'averageValue')) throw doc.error([...tp, 'averageValue'], 'a target averageValue (must specify a positive target averageValue)');
    return;
  }
  const perPod = type === 'External' ? 'must set either a target value for metric or a per-pod target' : 'must set either a target value or averageValue';
  if (!has(target, 'value') && !has(target, 'averageValue')) throw doc.error([...tp, 'averageValue'], `a target value or averageValue (${perPod})`);
  if (type === 'External' && has(target, 'value') && has(target, 'averageValue')) throw doc.error([...tp, 'value'], 'no value with averageValue (may not set both a target value for metric and a per-pod target)', describe(target['value']));
}

/** Upstream validateMetricIdentifier: a name that is a valid path segment. */
function readMetricIdentifier(doc: YamlDoc, p: Path, id: unknown): void {
  if (!isObj(id)) throw doc.error(p, 'a metric identifier ({name, selector})', describe(id));
  if (!isPathSegmentName(id['name'])) throw doc.error([...p, 'name'], 'a metric name (must specify a metric name)', describe(id['name']));
}

const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

/** Upstream validateMetricTarget: a type; value and averageValue positive quantities,
 * averageUtilization at least 1. Returns the target (an empty one when left out). */
function readMetricTarget(doc: YamlDoc, p: Path, t: unknown): Obj {
  if (t !== undefined && t !== null && !isObj(t)) throw doc.error(p, 'a metric target ({type, value, averageValue or averageUtilization})', describe(t));
  const target = isObj(t) ? t : {};
  if (!TARGET_TYPES.includes(target['type'] as string)) throw doc.error([...p, 'type'], 'Utilization, Value or AverageValue (must specify a metric target type)', describe(target['type']));
  for (const f of ['value', 'averageValue']) {
    const q = target[f];
    if (q === undefined || q === null) continue;
    if (typeof q !== 'string' && typeof q !== 'number') throw doc.error([...p, f], 'a quantity', describe(q));
    if (located(doc, [...p, f], () => parseQuantity(q)).mantissa <= 0n) throw doc.error([...p, f], 'a positive quantity (must be positive)', JSON.stringify(q));
  }
  const u = target['averageUtilization'];
  if (u !== undefined && u !== null) int(doc, [...p, 'averageUtilization'], u, 1, 'an integer >= 1 (must be greater than 0)');
  return target;
}

/** Upstream MaxStabilizationWindowSeconds and MaxPeriodSeconds. */
const MAX_STABILIZATION_WINDOW_S = 3600;
const MAX_PERIOD_S = 1800;
const SELECT_POLICIES = ['Max', 'Min', 'Disabled'];

/** Upstream validateBehavior: scaleUp and scaleDown each validateScalingRules. */
function readBehavior(doc: YamlDoc, p: Path, b: unknown): void {
  if (b === undefined || b === null) return;
  if (!isObj(b)) throw doc.error(p, 'a scaling behavior ({scaleUp, scaleDown})', describe(b));
  for (const dir of ['scaleUp', 'scaleDown']) readScalingRules(doc, [...p, dir], b[dir]);
}

/** An integer in [min, max]; `low` and `high`: upstream's message for each side. */
function bounded(doc: YamlDoc, p: Path, v: unknown, min: number, max: number, low: string, high: string): void {
  const whole = typeof v === 'number' && Number.isInteger(v);
  if (whole && v >= min && v <= max) return;
  throw doc.error(p, `an integer from ${min} to ${max} (${whole && v > max ? high : low})`, describe(v));
}

/**
 * Upstream validateScalingRules (after SetDefaults_HorizontalPodAutoscalerBehavior, which fills
 * what a direction leaves out): stabilizationWindowSeconds from 0 to 3600, selectPolicy Max, Min
 * or Disabled, at least one policy (an empty list is kept, so refused), each policy of type Pods
 * or Percent with a value above 0 and a periodSeconds from 1 to 1800; tolerance
 * (HPAConfigurableTolerance, beta since v1.35: KEP-4951 "cannot be set to a negative value") not
 * negative.
 */
function readScalingRules(doc: YamlDoc, p: Path, r: unknown): void {
  if (r === undefined || r === null) return;
  if (!isObj(r)) throw doc.error(p, 'scaling rules ({stabilizationWindowSeconds, selectPolicy, policies})', describe(r));
  const w = r['stabilizationWindowSeconds'];
  if (w !== undefined && w !== null) bounded(doc, [...p, 'stabilizationWindowSeconds'], w, 0, MAX_STABILIZATION_WINDOW_S, 'must be greater than or equal to zero', `must be less than or equal to ${MAX_STABILIZATION_WINDOW_S}`);
  const sel = r['selectPolicy'];
  if (sel !== undefined && sel !== null && !SELECT_POLICIES.includes(sel as string)) throw doc.error([...p, 'selectPolicy'], 'Max, Min or Disabled', describe(sel));
  const tol = r['tolerance'];
  if (tol !== undefined && tol !== null) {
    const expected = 'a non-negative quantity such as 0.05 or 50m (must be greater than or equal to 0)';
    if (typeof tol !== 'string' && typeof tol !== 'number') throw doc.error([...p, 'tolerance'], expected, describe(tol));
    if (located(doc, [...p, 'tolerance'], () => parseQuantity(tol)).mantissa < 0n) throw doc.error([...p, 'tolerance'], expected, JSON.stringify(tol));
  }
  const policies = r['policies'];
  if (policies === undefined || policies === null) return;
  const pp = [...p, 'policies'];
  if (!Array.isArray(policies)) throw doc.error(pp, 'a list of scaling policies ({type, value, periodSeconds})', describe(policies));
  if (policies.length === 0) throw doc.error(pp, 'at least one policy (must specify at least one Policy; leave policies out for the defaults)');
  policies.forEach((x, i) => {
    const ip = [...pp, i];
    if (!isObj(x)) throw doc.error(ip, 'a scaling policy ({type, value, periodSeconds})', describe(x));
    if (x['type'] !== 'Pods' && x['type'] !== 'Percent') throw doc.error([...ip, 'type'], 'Pods or Percent', describe(x['type']));
    int(doc, [...ip, 'value'], x['value'], 1, 'an integer > 0 (must be greater than zero)');
    bounded(doc, [...ip, 'periodSeconds'], x['periodSeconds'], 1, MAX_PERIOD_S, 'must be greater than zero', `must be less than or equal to ${MAX_PERIOD_S}`);
  });
}
