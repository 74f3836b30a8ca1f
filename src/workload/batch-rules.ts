// The checks upstream's batch validation (pkg/apis/batch/validation/validation.go) makes on the
// Job and CronJob fields that steer the Job controller rather than its pods: podFailurePolicy
// (validatePodFailurePolicy and its rules), podReplacementPolicy (validatePodReplacementPolicy),
// successPolicy (validateSuccessPolicy), and the names the controllers derive from the object's
// own (ValidateJob's Indexed hostname check, the job-name labels the Job strategy adds,
// ValidateCronJobCreate's 52 characters). Each refusal names the field and what was expected.
import { isValidLabelKey, isDns1123Label, isValidLabelValue } from '../api/labels.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';
import type { Path, YamlDoc } from '../api/yaml-source.js';

type Obj = Record<string, unknown>;

/** Upstream maxPodFailurePolicyRules. */
const MAX_POD_FAILURE_POLICY_RULES = 20;
/** Upstream maxPodFailurePolicyOnExitCodesValues. */
const MAX_ON_EXIT_CODES_VALUES = 255;
/** Upstream maxPodFailurePolicyOnPodConditionsPatterns. */
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
/** Upstream maxSuccessPolicyRule. */
const MAX_SUCCESS_POLICY_RULES = 20;
/** Upstream maxJobSuccessPolicySucceededIndexesLimit (64 KiB). */
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
/** Upstream ValidateCronJobCreate: DNS1035LabelMaxLength (63) less the 11 characters of the
 * "-<scheduled time>" suffix of the CronJob's Job names. */
export const MAX_CRONJOB_NAME_LENGTH = 52;

const given = (v: unknown) => v !== undefined && v !== null;
/** describeValue, with an empty list said so. */
const describeList = (v: unknown) => (Array.isArray(v) && v.length === 0 ? 'an empty list' : describe(v));

/** Upstream validatePodReplacementPolicy: Failed or TerminatingOrFailed, and only Failed with a
 * podFailurePolicy. */
export function readPodReplacementPolicy(doc: YamlDoc, specPath: Path, spec: Obj): void {
  const v = spec['podReplacementPolicy'];
  if (!given(v)) return;
  const path = [...specPath, 'podReplacementPolicy'];
  if (given(spec['podFailurePolicy'])) {
    if (v !== 'Failed') throw doc.error(path, 'Failed (the only podReplacementPolicy allowed with a podFailurePolicy)', describe(v));
  } else if (v !== 'Failed' && v !== 'TerminatingOrFailed') {
    throw doc.error(path, 'Failed or TerminatingOrFailed', describe(v));
  }
}

/** Upstream validatePodFailurePolicy / validatePodFailurePolicyRule /
 * validatePodFailurePolicyRuleOnExitCodes / validatePodFailurePolicyRuleOnPodConditions, and
 * validateJobSpec's restartPolicy Never with a podFailurePolicy. `podSpec`: the template's
 * (validated), whose container and init container names an onExitCodes containerName must be
 * one of; `perIndex`: backoffLimitPerIndex is set (FailIndex needs it). ksim's container failures
 * carry no exit code, so onExitCodes rules never match: one warning (not refused by --strict, as
 * other "not simulated" warnings). */
export function readPodFailurePolicy(doc: YamlDoc, path: Path, v: unknown, podSpec: Obj, warnings: string[] | undefined, perIndex: boolean): void {
  if (!given(v)) return;
  if (!isObj(v) || !Array.isArray(v['rules'])) throw doc.error(path, 'a pod failure policy ({rules: [...]})', describe(v));
  const restartPolicy = podSpec['restartPolicy'];
  if (restartPolicy !== 'Never') throw doc.error([...path.slice(0, -1), 'template', 'spec', 'restartPolicy'], 'Never (a Job with a podFailurePolicy)', describe(restartPolicy));
  const rules = v['rules'];
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) throw doc.error([...path, 'rules'], `at most ${MAX_POD_FAILURE_POLICY_RULES} rules`, `${rules.length}`);
  const containerNames = new Set<unknown>();
  for (const key of ['containers', 'initContainers']) {
    const cs = podSpec[key];
    if (Array.isArray(cs)) for (const c of cs) if (isObj(c)) containerNames.add(c['name']);
  }
  let exitCodes: Path | null = null;
  rules.forEach((r, i) => {
    const rp = [...path, 'rules', i];
    if (!isObj(r)) throw doc.error(rp, 'a rule {action, onExitCodes or onPodConditions}', describe(r));
    const a = r['action'];
    // FailIndex with backoffLimitPerIndex (which ksim does not simulate: such a match counts as
    // Count, and loading warns of backoffLimitPerIndex).
    if (a === 'FailIndex' && !perIndex) throw doc.error([...rp, 'action'], 'FailJob, Ignore or Count (FailIndex needs backoffLimitPerIndex, with completionMode Indexed)', describe(a));
    if (a !== 'FailJob' && a !== 'Ignore' && a !== 'Count' && a !== 'FailIndex') throw doc.error([...rp, 'action'], perIndex ? 'Count, FailIndex, FailJob or Ignore' : 'FailJob, Ignore or Count', describe(a));
    const hasExit = given(r['onExitCodes']);
    // Upstream tests len(onPodConditions) > 0: an empty list is none.
    const cond = r['onPodConditions'];
    const hasCond = given(cond) && !(Array.isArray(cond) && cond.length === 0);
    if (hasExit && hasCond) throw doc.error(rp, 'one of onExitCodes and onPodConditions, not both (specifying both is not supported)');
    if (!hasExit && !hasCond) throw doc.error(rp, 'one of onExitCodes or onPodConditions (specifying one of them is required)');
    if (hasExit) {
      readOnExitCodes(doc, [...rp, 'onExitCodes'], r['onExitCodes'], containerNames);
      exitCodes ??= [...rp, 'onExitCodes'];
    } else readOnPodConditions(doc, [...rp, 'onPodConditions'], cond);
  });
  if (exitCodes !== null) warnings?.push(doc.warning(exitCodes, 'is not simulated: ksim\'s container failures have no exit code, so onExitCodes rules never match and those failures count against backoffLimit (the default Count); onPodConditions rules on DisruptionTarget are honoured'));
}

/** Upstream validatePodFailurePolicyRuleOnExitCodes: operator In or NotIn; containerName one of
 * the template's containers or init containers; 1 to 255 values, in ascending order, without
 * duplicates, and no 0 with In. */
function readOnExitCodes(doc: YamlDoc, path: Path, e: unknown, containerNames: ReadonlySet<unknown>): void {
  if (!isObj(e)) throw doc.error(path, 'an exit codes requirement ({operator, values})', describe(e));
  const op = e['operator'];
  if (op !== 'In' && op !== 'NotIn') throw doc.error([...path, 'operator'], 'In or NotIn', describe(op));
  const name = e['containerName'];
  if (given(name) && !containerNames.has(name)) {
    const names = [...containerNames].filter((n) => typeof n === 'string').map((n) => JSON.stringify(n)).join(', ');
    throw doc.error([...path, 'containerName'], `one of the container or initContainer names in the pod template (${names})`, describe(name));
  }
  const values = e['values'];
  if (!Array.isArray(values) || values.length === 0) throw doc.error([...path, 'values'], 'a non-empty list of exit codes (at least one value is required)', describeList(values));
  if (values.length > MAX_ON_EXIT_CODES_VALUES) throw doc.error([...path, 'values'], `at most ${MAX_ON_EXIT_CODES_VALUES} exit codes`, `${values.length}`);
  const seen = new Set<number>();
  values.forEach((x, j) => {
    const vp = [...path, 'values', j];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < -2147483648 || x > 2147483647) throw doc.error(vp, 'an exit code (a 32-bit integer)', describe(x));
    if (op === 'In' && x === 0) throw doc.error(vp, 'an exit code other than 0 (0 must not be used with the In operator: a container that exits 0 succeeded)', '0');
    if (seen.has(x)) throw doc.error(vp, 'an exit code not listed before (duplicate value)', String(x));
    seen.add(x);
    if (j > 0 && (values[j - 1] as number) > x) throw doc.error([...path, 'values'], `exit codes in ascending order (must be ordered: ${values[j - 1]} comes before ${x})`, JSON.stringify(values));
  });
}

/** Upstream validatePodFailurePolicyRuleOnPodConditions: at most 20 patterns, each a qualified
 * name type and status True, False or Unknown ("" is True: SetDefaults_
 * PodFailurePolicyOnPodConditionsPattern, batch/v1 defaults.go). */
function readOnPodConditions(doc: YamlDoc, path: Path, c: unknown): void {
  if (!Array.isArray(c)) throw doc.error(path, 'a list of pod condition patterns ({type, status})', describe(c));
  if (c.length > MAX_ON_POD_CONDITIONS_PATTERNS) throw doc.error(path, `at most ${MAX_ON_POD_CONDITIONS_PATTERNS} pod condition patterns`, `${c.length}`);
  c.forEach((x, j) => {
    const t = isObj(x) ? x['type'] : x;
    if (!isObj(x) || typeof t !== 'string' || !isValidLabelKey(t)) throw doc.error([...path, j, 'type'], 'a pod condition type (a qualified name such as DisruptionTarget)', describe(t));
    if (x['status'] === '') x['status'] = 'True';
    const st = x['status'];
    if (st !== undefined && st !== 'True' && st !== 'False' && st !== 'Unknown') throw doc.error([...path, j, 'status'], 'True, False or Unknown', describe(st));
  });
}

/** Upstream validateJobSpec / validateSuccessPolicy / validateSuccessPolicyRule: only with
 * completionMode Indexed; 1 to 20 rules, each with succeededIndexes (intervals within 0 ..
 * completions−1 in ascending order: validateIndexesFormat) or succeededCount (≥ 0, at most
 * completions and at most the number of succeededIndexes) or both. Not simulated: a valid
 * policy is warned about. */
export function readSuccessPolicy(doc: YamlDoc, specPath: Path, spec: Obj, warnings: string[] | undefined): void {
  const v = spec['successPolicy'];
  if (!given(v)) return;
  const path = [...specPath, 'successPolicy'];
  if (spec['completionMode'] !== 'Indexed') throw doc.error(path, 'no successPolicy (it requires completionMode Indexed)', 'a successPolicy on a NonIndexed Job');
  if (!isObj(v)) throw doc.error(path, 'a success policy ({rules: [...]})', describe(v));
  const rules = v['rules'];
  if (!Array.isArray(rules) || rules.length === 0) throw doc.error([...path, 'rules'], 'a non-empty list of rules (at least one rule is required when the successPolicy is specified)', describeList(rules));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) throw doc.error([...path, 'rules'], `at most ${MAX_SUCCESS_POLICY_RULES} rules`, `${rules.length}`);
  const completions = spec['completions'] as number; // required with Indexed (checked before)
  rules.forEach((r, i) => {
    const rp = [...path, 'rules', i];
    if (!isObj(r)) throw doc.error(rp, 'a rule {succeededIndexes, succeededCount}', describe(r));
    const ixs = r['succeededIndexes'];
    const count = r['succeededCount'];
    if (!given(ixs) && !given(count)) throw doc.error(rp, 'succeededCount or succeededIndexes (at least one of them must be specified)');
    let total = 0;
    if (given(ixs)) {
      if (typeof ixs !== 'string') throw doc.error([...rp, 'succeededIndexes'], 'indexes such as "0-2,5" (intervals of completion indexes)', describe(ixs));
      if (ixs.length > MAX_SUCCEEDED_INDEXES_LENGTH) throw doc.error([...rp, 'succeededIndexes'], `at most ${MAX_SUCCEEDED_INDEXES_LENGTH} characters`, `${ixs.length} characters`);
      const parsed = indexesFormat(ixs, completions);
      if (typeof parsed === 'string') throw doc.error([...rp, 'succeededIndexes'], `indexes such as "0-2,5" within 0-${completions - 1} (completions ${completions}), in ascending order: ${parsed}`, JSON.stringify(ixs));
      total = parsed;
    }
    if (given(count)) {
      const cp = [...rp, 'succeededCount'];
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 2147483647) throw doc.error(cp, 'an integer >= 0', describe(count));
      if (count > completions) throw doc.error(cp, `at most ${completions} (the number of specified completions)`, String(count));
      if (given(ixs) && count > total) throw doc.error(cp, `at most ${total} (the number of indexes in succeededIndexes)`, String(count));
    }
  });
  warnings?.push(doc.warning(path, 'is not simulated: the Indexed Job completes when every index has succeeded'));
}

/** Upstream validateIndexesFormat / parseIndexInterval: the number of indexes of "0-2,5", or
 * why the text is not such a list below `completions` (upstream's error text). */
function indexesFormat(text: string, completions: number): number | string {
  if (text.length === 0) return 0;
  let last: number | null = null;
  let total = 0;
  for (const interval of text.split(',')) {
    const parts = interval.split('-');
    if (parts.length > 2) return `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'`;
    const nums: number[] = [];
    for (const p of parts) {
      // strconv.Atoi: an optional sign and decimal digits.
      if (!/^[+-]?\d+$/.test(p)) return `cannot convert string to integer for index: ${JSON.stringify(p)}`;
      const n = Number(p);
      if (n >= completions) return `too large index: ${JSON.stringify(p)}`;
      nums.push(n);
    }
    const x = nums[0] as number;
    const y = nums[nums.length - 1] as number;
    if (nums.length > 1 && x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
    if (last !== null && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total += y - x + 1;
    last = y;
  }
  return total;
}

/** The name checks upstream makes on a Job's own name beyond its being a DNS subdomain:
 * - ValidateJob: an Indexed Job with completions > 0 needs "<name>-<completions−1>", its last
 *   pod's hostname, to be a DNS label ("will not able to create pod with invalid DNS label");
 * - the Job strategy's generateSelector (pkg/registry/batch/job/strategy.go), unless
 *   manualSelector, writes the name into the template's job-name and batch.kubernetes.io/
 *   job-name labels, whose values ValidatePodTemplateSpec checks: a name over 63 characters is
 *   refused with "spec.template.labels: Invalid value: ...: must be no more than 63 characters".
 * A CronJob's Jobs take generated names (its own is checked by checkCronJobName). */
export function checkJobName(doc: YamlDoc, path: Path, obj: Obj): void {
  const name = (obj['metadata'] as Obj)['name'] as string;
  const spec = obj['spec'] as Obj;
  const namePath = [...path, 'metadata', 'name'];
  const completions = spec['completions'];
  if (spec['completionMode'] === 'Indexed' && typeof completions === 'number' && completions > 0) {
    const hostname = `${name}-${completions - 1}`;
    if (!isDns1123Label(hostname)) {
      throw doc.error(namePath, `a name short enough that <name>-${completions - 1}, the hostname of the Indexed Job's pod of index ${completions - 1}, is a DNS label (at most 63 characters, no "."; upstream: will not able to create pod with invalid DNS label)`, `${name.length} characters, making ${JSON.stringify(hostname)} (${hostname.length})`);
    }
  }
  if (spec['manualSelector'] !== true && !isValidLabelValue(name)) {
    throw doc.error(namePath, 'a name of at most 63 characters (the API server writes it into the pod template\'s job-name labels, whose values must be no more than 63 characters: spec.template.labels: Invalid value)', `${name.length} characters`);
  }
}

/** Upstream ValidateCronJobCreate: at most 52 characters, so that its Jobs' names
 * "<name>-<scheduled time>" are at most 63. */
export function checkCronJobName(doc: YamlDoc, path: Path, obj: Obj): void {
  const name = (obj['metadata'] as Obj)['name'] as string;
  if (name.length > MAX_CRONJOB_NAME_LENGTH) {
    throw doc.error([...path, 'metadata', 'name'], `a CronJob name of at most ${MAX_CRONJOB_NAME_LENGTH} characters (its Jobs are named <name>-<11-character scheduled time>, at most 63)`, `${name.length} characters`);
  }
}
