// autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscaler, validated as upstream's API
// validation does for the fields ksim reads (pkg/apis/autoscaling/validation
// ValidateHorizontalPodAutoscalerSpec: scaleTargetRef's kind and name, minReplicas ≥ 1 — the
// HPAScaleToZero gate is alpha, off — and maxReplicas ≥ 1 and ≥ minReplicas; a metric's type,
// v1's targetCPUUtilizationPercentage ≥ 1). The metrics themselves are not simulated: one
// warning per HPA says what ksim does instead (src/controllers/horizontal-pod-autoscaler.ts).
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
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
    if (typeof v !== 'string' || v === '' || v === '.' || v === '..' || /[/%]/.test(v)) throw doc.error([...rp, f], `the target's ${f} (required)`, describe(v));
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
      metrics.forEach((m, i) => {
        const type = isObj(m) ? m['type'] : undefined;
        if (!METRIC_TYPES.includes(type as string)) throw doc.error([...sp, 'metrics', i, 'type'], `one of ${METRIC_TYPES.join(', ')}`, describe(type));
      });
    }
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
