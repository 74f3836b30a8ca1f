// The checks upstream's apps validation (pkg/apis/apps/validation/validation.go) makes on the
// Deployment, ReplicaSet, DaemonSet and StatefulSet fields that steer their controllers rather
// than their pods: update strategies (ValidateDeploymentStrategy, ValidateDaemonSetUpdateStrategy,
// ValidateRollingUpdateDaemonSet, validateRollingUpdateStatefulSet), minReadySeconds,
// revisionHistoryLimit and progressDeadlineSeconds. The server validates an object after its
// defaulting (pkg/apis/apps/v1/defaults.go), so a field left out is checked at its default
// (a DaemonSet's maxUnavailable 1, a Deployment's progressDeadlineSeconds 600), and the message
// says so.
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';
import { readOptionalInt } from './field-readers.js';

type Obj = Record<string, unknown>;
type IntOrPercent = number | string;

/** Upstream IsValidPercent: digits then "%". */
const PERCENT = /^\d+%$/;

/** An IntOrString count: a non-negative integer or "N%" (upstream ValidatePositiveIntOrPercent). */
export function readIntOrPercent(doc: YamlDoc, path: Path, v: unknown): IntOrPercent | undefined {
  if (v === undefined || v === null) return undefined;
  if ((typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2147483647) || (typeof v === 'string' && PERCENT.test(v))) return v as IntOrPercent;
  throw doc.error(path, 'a non-negative integer or a percentage such as "25%"', describe(v));
}

/** Upstream getIntOrPercentValue: the number, or the percentage's number. */
function amount(v: IntOrPercent): number {
  return typeof v === 'number' ? v : Number(v.slice(0, -1));
}

/** Upstream IsNotMoreThan100Percent. */
function notOver100(doc: YamlDoc, path: Path, v: IntOrPercent): void {
  if (typeof v === 'string' && amount(v) > 100) throw doc.error(path, 'a percentage no larger than 100% (must not be greater than 100%)', JSON.stringify(v));
}

/** A strategy type, "" and left out meaning the default (the API's defaulting sets it:
 * SetDefaults_Deployment, SetDefaults_DaemonSet, SetDefaults_StatefulSet in
 * pkg/apis/apps/v1/defaults.go). A "" is written as the default, as the server stores it. */
function typeOf(doc: YamlDoc, path: Path, strategy: Obj, allowed: readonly [string, string]): string {
  const type = strategy['type'];
  if (type === '') strategy['type'] = allowed[0];
  if (type === undefined || type === null || type === '') return allowed[0];
  if (type !== allowed[0] && type !== allowed[1]) throw doc.error([...path, 'type'], `${allowed[0]} or ${allowed[1]}`, describe(type));
  return type;
}

/** The strategy mapping (undefined when left out). */
function strategyOf(doc: YamlDoc, path: Path, v: unknown): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw doc.error(path, 'an update strategy (type and rollingUpdate)', describe(v));
  return v;
}

function rollingUpdateOf(doc: YamlDoc, path: Path, v: unknown, fields: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw doc.error(path, `a mapping with ${fields}`, describe(v));
  return v;
}

/** Upstream ValidateDeploymentStrategy / ValidateRollingUpdateDeployment (maxSurge and
 * maxUnavailable default to 25%). */
export function readDeploymentStrategy(doc: YamlDoc, path: Path, v: unknown): void {
  const strategy = strategyOf(doc, path, v);
  if (strategy === undefined) return;
  const type = typeOf(doc, path, strategy, ['RollingUpdate', 'Recreate']);
  const rp = [...path, 'rollingUpdate'];
  if (type === 'Recreate') {
    if (strategy['rollingUpdate'] !== undefined && strategy['rollingUpdate'] !== null) throw doc.error(rp, 'no rollingUpdate when the strategy type is Recreate');
    return;
  }
  const ru = rollingUpdateOf(doc, rp, strategy['rollingUpdate'], 'maxSurge and/or maxUnavailable');
  if (ru === undefined) return;
  const surge = readIntOrPercent(doc, [...rp, 'maxSurge'], ru['maxSurge']) ?? '25%';
  const unavailable = readIntOrPercent(doc, [...rp, 'maxUnavailable'], ru['maxUnavailable']) ?? '25%';
  if (amount(surge) === 0 && amount(unavailable) === 0) throw doc.error([...rp, 'maxUnavailable'], 'a value other than 0 when maxSurge is 0 (both may not be 0)', JSON.stringify(unavailable));
  notOver100(doc, [...rp, 'maxUnavailable'], unavailable);
}

/**
 * Upstream ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet: type RollingUpdate
 * (the default) or OnDelete; for RollingUpdate, maxUnavailable (default 1) and maxSurge (default
 * 0) at most 100%, and exactly one of them non-zero. OnDelete checks nothing more: a rollingUpdate
 * beside it is stored and unused.
 */
export function readDaemonSetUpdateStrategy(doc: YamlDoc, path: Path, v: unknown): void {
  const strategy = strategyOf(doc, path, v);
  if (strategy !== undefined && typeOf(doc, path, strategy, ['RollingUpdate', 'OnDelete']) === 'OnDelete') return;
  const rp = [...path, 'rollingUpdate'];
  const ru = rollingUpdateOf(doc, rp, strategy?.['rollingUpdate'], 'maxUnavailable and/or maxSurge') ?? {};
  const givenUnavailable = readIntOrPercent(doc, [...rp, 'maxUnavailable'], ru['maxUnavailable']);
  const givenSurge = readIntOrPercent(doc, [...rp, 'maxSurge'], ru['maxSurge']);
  const unavailable = givenUnavailable ?? 1;
  const surge = givenSurge ?? 0;
  notOver100(doc, [...rp, 'maxUnavailable'], unavailable);
  notOver100(doc, [...rp, 'maxSurge'], surge);
  if (amount(unavailable) !== 0 && amount(surge) !== 0) {
    const is = givenUnavailable === undefined ? '1, its default' : JSON.stringify(unavailable);
    throw doc.error([...rp, 'maxSurge'], `0 while maxUnavailable is ${is} (may not be set when maxUnavailable is non-zero: set maxUnavailable to 0 to surge)`, JSON.stringify(surge));
  }
  if (amount(unavailable) === 0 && amount(surge) === 0) {
    const is = givenSurge === undefined ? '0, its default' : '0';
    throw doc.error([...rp, 'maxUnavailable'], `a value other than 0 when maxSurge is ${is} (cannot be 0 when maxSurge is 0)`, JSON.stringify(unavailable));
  }
}

/**
 * Upstream ValidateStatefulSetSpec's update strategy: type RollingUpdate (the default) or
 * OnDelete; a rollingUpdate only with RollingUpdate ("only allowed for updateStrategy
 * 'RollingUpdate'"), its partition non-negative; its maxUnavailable is dropped unvalidated, as
 * v1.36 drops it with the MaxUnavailableStatefulSet feature gate off.
 */
export function readStatefulSetUpdateStrategy(doc: YamlDoc, path: Path, v: unknown): void {
  const strategy = strategyOf(doc, path, v);
  if (strategy === undefined) return;
  // SetDefaults_StatefulSet: a type "" becomes RollingUpdate with a rollingUpdate (partition 0)
  // when it has none; a type RollingUpdate set without one keeps it nil.
  if (strategy['type'] === '' && (strategy['rollingUpdate'] === undefined || strategy['rollingUpdate'] === null)) strategy['rollingUpdate'] = {};
  const type = typeOf(doc, path, strategy, ['RollingUpdate', 'OnDelete']);
  const rp = [...path, 'rollingUpdate'];
  const given = strategy['rollingUpdate'];
  if (type === 'OnDelete') {
    if (given !== undefined && given !== null) throw doc.error(rp, `no rollingUpdate when the updateStrategy type is OnDelete (only allowed for updateStrategy 'RollingUpdate')`, describe(given));
    return;
  }
  const ru = rollingUpdateOf(doc, rp, given, 'partition and/or maxUnavailable');
  if (ru === undefined) return;
  readOptionalInt(doc, [...rp, 'partition'], ru['partition'], 0, 0);
  // maxUnavailable is dropped before validation: the MaxUnavailableStatefulSet feature gate is
  // off by default in v1.36 (kubernetes PR #137904), and the API server then removes the field
  // of a new object (pkg/registry/apps/statefulset/strategy.go dropStatefulSetDisabledFields).
  delete ru['maxUnavailable'];
}

/** Upstream ValidatePersistentVolumeClaimRetentionPolicy: whenDeleted and whenScaled are Retain
 * (their default, which SetDefaults_StatefulSet writes for a "") or Delete. */
export function readClaimRetentionPolicy(doc: YamlDoc, path: Path, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) throw doc.error(path, 'a retention policy (whenDeleted and/or whenScaled)', describe(v));
  for (const f of ['whenDeleted', 'whenScaled']) {
    if (v[f] === '') v[f] = 'Retain';
    const x = v[f];
    if (x !== undefined && x !== null && x !== '' && x !== 'Retain' && x !== 'Delete') throw doc.error([...path, f], 'Retain or Delete', describe(x));
  }
}

/** Upstream ValidateNonnegativeField(minReadySeconds), every apps kind; returns it (default 0). */
export function readMinReadySeconds(doc: YamlDoc, specPath: Path, spec: Obj): number {
  return readOptionalInt(doc, [...specPath, 'minReadySeconds'], spec['minReadySeconds'], 0, 0);
}

/** A Deployment's or DaemonSet's revisionHistoryLimit: non-negative ("zero is a valid
 * RevisionHistoryLimit"). */
export function readRevisionHistoryLimit(doc: YamlDoc, specPath: Path, spec: Obj): void {
  readOptionalInt(doc, [...specPath, 'revisionHistoryLimit'], spec['revisionHistoryLimit'], 0, 10);
}

/** Upstream SetDefaults_Deployment: progressDeadlineSeconds left out is 600. */
const DEFAULT_PROGRESS_DEADLINE_S = 600;

/** Upstream ValidateDeploymentSpec: progressDeadlineSeconds non-negative and greater than
 * minReadySeconds, also when defaulted (so a minReadySeconds of 600 or more needs one). */
export function readProgressDeadline(doc: YamlDoc, specPath: Path, spec: Obj, minReadySeconds: number): void {
  const p = [...specPath, 'progressDeadlineSeconds'];
  const given = spec['progressDeadlineSeconds'];
  const deadline = readOptionalInt(doc, p, given, 0, DEFAULT_PROGRESS_DEADLINE_S);
  if (deadline > minReadySeconds) return;
  if (given === undefined || given === null) throw doc.error(p, `a progressDeadlineSeconds greater than minReadySeconds ${minReadySeconds} (must be greater than minReadySeconds; the API server defaults it to ${DEFAULT_PROGRESS_DEADLINE_S})`);
  throw doc.error(p, `an integer greater than minReadySeconds ${minReadySeconds} (must be greater than minReadySeconds)`, describe(deadline));
}
