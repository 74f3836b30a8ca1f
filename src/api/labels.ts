// Label selectors and node selectors with upstream semantics:
//  - metav1.LabelSelectorAsSelector and labels.Requirement (k8s.io/apimachinery
//    pkg/apis/meta/v1/helpers.go, pkg/labels/selector.go), with the key/value
//    rules of pkg/util/validation (IsQualifiedName, IsValidLabelValue);
//  - nodeaffinity.NodeSelector (k8s.io/component-helpers
//    scheduling/corev1/nodeaffinity/nodeaffinity.go);
//  - pod.spec.nodeSelector as labels.SelectorFromSet.
// Everything is validated and compiled once; `matches` does not allocate.

import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { NodeSelector, NodeSelectorTerm } from 'kubernetes-types/core/v1.js';
import { FieldError, joinFieldPath } from './field-error.js';
import { isObject } from './values.js';

export type Labels = Readonly<Record<string, string>>;

export interface LabelMatcher {
  matches(labels: Labels | undefined): boolean;
  /** The selector was empty (`{}`): every label set matches. */
  readonly matchesEverything: boolean;
  /** The selector was null/undefined: no label set matches. */
  readonly matchesNothing: boolean;
}

export interface NodeLike {
  readonly name: string;
  readonly labels: Labels;
}

export interface NodeSelectorMatcher {
  matches(node: NodeLike): boolean;
}

export interface NodeSelectorOptions {
  /**
   * What a term that does not compile does. 'throw' (the default) throws its
   * FieldError. 'matchNothing' keeps the other terms and lets that one match no
   * node, as the scheduler's LazyErrorNodeSelector does for required node
   * affinity (an invalid term is reported only when nothing else matched).
   */
  readonly invalidTerms?: 'throw' | 'matchNothing';
}

// ---------------------------------------------------------------------------
// Key and value validation (k8s.io/apimachinery/pkg/util/validation)

const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_MAX_LENGTH = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL_MAX_LENGTH = 63;
const DNS1123_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** validation.IsDNS1123Subdomain: most object names (Pods, Nodes, workloads). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(s);
}

/** validation.IsDNS1123Label: namespace and container names. */
export function isDns1123Label(s: string): boolean {
  return s.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(s);
}

/** validation.IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain (≤ 253), name ≤ 63. */
export function isValidLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  let name = key;
  if (slash >= 0) {
    if (key.indexOf('/', slash + 1) >= 0) return false;
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || !isDns1123Subdomain(prefix)) {
      return false;
    }
    name = key.slice(slash + 1);
  }
  return name.length > 0 && name.length <= QUALIFIED_NAME_MAX_LENGTH && QUALIFIED_NAME.test(name);
}

/** validation.IsValidLabelValue: empty, or ≤ 63 characters of the qualified-name alphabet. */
export function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= LABEL_VALUE_MAX_LENGTH && QUALIFIED_NAME.test(value));
}

const EXPECTED_KEY =
  'a label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters ' +
  '(alphanumerics, "-", "_", ".") that starts and ends with an alphanumeric';
const EXPECTED_VALUE =
  'a label value: empty, or at most 63 characters (alphanumerics, "-", "_", ".") ' +
  'that start and end with an alphanumeric';
const LABEL_OPERATORS = 'one of In, NotIn, Exists, DoesNotExist';
const NODE_OPERATORS = 'one of In, NotIn, Exists, DoesNotExist, Gt, Lt';
const FIELD_OPERATORS = 'one of In, NotIn';

function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? String(v);
}


function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

// ---------------------------------------------------------------------------
// Compiled requirements

const OP_IN = 0;
const OP_NOT_IN = 1;
const OP_EXISTS = 2;
const OP_DOES_NOT_EXIST = 3;
const OP_GT = 4;
const OP_LT = 5;

/** Above this many values, In/NotIn look values up in a Set rather than scanning. */
const SET_THRESHOLD = 8;

interface Requirement {
  readonly key: string;
  readonly op: number;
  readonly values: readonly string[];
  readonly valueSet: ReadonlySet<string> | undefined;
  /** Gt/Lt bound: exact as a number when `boundIsNumber`, always exact as a bigint. */
  readonly bound: number;
  readonly boundIsNumber: boolean;
  readonly boundBig: bigint;
}

function makeRequirement(key: string, op: number, values: readonly string[]): Requirement {
  let bound = 0;
  let boundIsNumber = false;
  let boundBig = 0n;
  if (op === OP_GT || op === OP_LT) {
    const parsed = parseInt64(values[0] ?? '');
    if (parsed === undefined) throw new Error('unreachable: bound validated before');
    boundIsNumber = typeof parsed === 'number';
    bound = typeof parsed === 'number' ? parsed : 0;
    boundBig = BigInt(parsed);
  }
  return {
    key,
    op,
    values,
    valueSet: values.length > SET_THRESHOLD ? new Set(values) : undefined,
    bound,
    boundIsNumber,
    boundBig,
  };
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * strconv.ParseInt(s, 10, 64): an optional sign, then one or more ASCII digits,
 * within int64. A number when it is exactly representable (≤ 15 significant
 * digits, the common case, without allocating), else a bigint; undefined if invalid.
 */
function parseInt64(s: string): number | bigint | undefined {
  const n = s.length;
  let i = 0;
  let negative = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2b /* + */ || c0 === 0x2d /* - */) {
    negative = c0 === 0x2d;
    i = 1;
  }
  if (i >= n) return undefined;
  let x = 0;
  let significant = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
    if (significant === 0 && c === 0x30) continue;
    x = x * 10 + (c - 0x30);
    significant++;
  }
  if (significant <= 15) return negative ? -x : x;
  const big = BigInt(s);
  return big < INT64_MIN || big > INT64_MAX ? undefined : big;
}

/** Compares an int64 label value with a Gt/Lt bound: <0, 0 or >0; NaN if the value is not an integer. */
function compareWithBound(value: string, r: Requirement): number {
  const v = parseInt64(value);
  if (v === undefined) return NaN;
  if (typeof v === 'number' && r.boundIsNumber) return v - r.bound;
  const d = BigInt(v) - r.boundBig;
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

function hasValue(r: Requirement, v: string): boolean {
  if (r.valueSet !== undefined) return r.valueSet.has(v);
  const values = r.values;
  for (let i = 0; i < values.length; i++) if (values[i] === v) return true;
  return false;
}

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const v = labels[r.key];
  // Inherited Object.prototype members are functions, so this is "has own label".
  const has = typeof v === 'string';
  switch (r.op) {
    case OP_IN:
      return has && hasValue(r, v);
    case OP_NOT_IN:
      return !has || !hasValue(r, v);
    case OP_EXISTS:
      return has;
    case OP_DOES_NOT_EXIST:
      return !has;
    case OP_GT:
      return has && compareWithBound(v, r) > 0;
    case OP_LT:
      return has && compareWithBound(v, r) < 0;
    default:
      return false;
  }
}

function allMatch(reqs: readonly Requirement[], labels: Labels): boolean {
  for (let i = 0; i < reqs.length; i++) if (!requirementMatches(reqs[i]!, labels)) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Requirement validation (labels.NewRequirement)

function checkKey(key: unknown, path: string): string {
  if (typeof key !== 'string' || !isValidLabelKey(key)) throw new FieldError(path, EXPECTED_KEY, show(key));
  return key;
}

function checkValues(raw: unknown, path: string): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new FieldError(path, 'a list of strings', show(raw));
  const out: string[] = [];
  for (let j = 0; j < raw.length; j++) {
    const v: unknown = raw[j];
    if (typeof v !== 'string') throw new FieldError(`${path}[${j}]`, 'a string', show(v));
    out.push(v);
  }
  return out;
}

function operatorCode(op: unknown, allowGtLt: boolean): number | undefined {
  switch (op) {
    case 'In':
      return OP_IN;
    case 'NotIn':
      return OP_NOT_IN;
    case 'Exists':
      return OP_EXISTS;
    case 'DoesNotExist':
      return OP_DOES_NOT_EXIST;
    case 'Gt':
      return allowGtLt ? OP_GT : undefined;
    case 'Lt':
      return allowGtLt ? OP_LT : undefined;
    default:
      return undefined;
  }
}

/** A matchExpressions entry, validated like labels.NewRequirement (key, value count, values). */
function compileExpression(expr: unknown, path: string, allowGtLt: boolean): Requirement {
  if (!isObject(expr)) throw new FieldError(path, 'a requirement with key, operator and values', show(expr));
  const op = operatorCode(expr['operator'], allowGtLt);
  if (op === undefined) {
    throw new FieldError(joinFieldPath(path, 'operator'), allowGtLt ? NODE_OPERATORS : LABEL_OPERATORS, show(expr['operator']));
  }
  const key = checkKey(expr['key'], joinFieldPath(path, 'key'));
  const valuesPath = joinFieldPath(path, 'values');
  const values = checkValues(expr['values'], valuesPath);
  const opName = expr['operator'] as string;
  switch (op) {
    case OP_IN:
    case OP_NOT_IN:
      if (values.length === 0) throw new FieldError(valuesPath, `at least one value for operator ${opName}`, '[]');
      break;
    case OP_EXISTS:
    case OP_DOES_NOT_EXIST:
      if (values.length !== 0) throw new FieldError(valuesPath, `no values for operator ${opName}`, show(values));
      break;
    default: // Gt, Lt
      if (values.length !== 1) throw new FieldError(valuesPath, `exactly one value for operator ${opName}`, show(values));
      if (parseInt64(values[0]!) === undefined) {
        throw new FieldError(`${valuesPath}[0]`, `an integer for operator ${opName}`, show(values[0]));
      }
  }
  for (let j = 0; j < values.length; j++) {
    if (!isValidLabelValue(values[j]!)) throw new FieldError(`${valuesPath}[${j}]`, EXPECTED_VALUE, show(values[j]));
  }
  return makeRequirement(key, op, values);
}

// ---------------------------------------------------------------------------
// Label selectors

const NO_LABELS: Labels = Object.freeze({});

class CompiledLabelSelector implements LabelMatcher {
  constructor(
    private readonly reqs: readonly Requirement[],
    readonly matchesEverything: boolean,
    readonly matchesNothing: boolean,
  ) {}

  matches(labels: Labels | undefined): boolean {
    if (this.matchesNothing) return false;
    return allMatch(this.reqs, labels ?? NO_LABELS);
  }
}

const MATCH_NOTHING: LabelMatcher = new CompiledLabelSelector([], false, true);
const MATCH_EVERYTHING: LabelMatcher = new CompiledLabelSelector([], true, false);

/** A map of label keys to values, validated as labels; each entry becomes key In (value). */
function compileLabelMap(raw: unknown, path: string, reqs: Requirement[]): void {
  if (raw === undefined || raw === null) return;
  if (!isObject(raw)) throw new FieldError(path, 'a map of label keys to values', show(raw));
  for (const key of Object.keys(raw)) {
    const p = `${path}[${key}]`;
    checkKey(key, p);
    const v = raw[key];
    if (typeof v !== 'string') throw new FieldError(p, 'a string label value', show(v));
    if (!isValidLabelValue(v)) throw new FieldError(p, EXPECTED_VALUE, show(v));
    reqs.push(makeRequirement(key, OP_IN, [v]));
  }
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined matches nothing, `{}` matches
 * everything, matchLabels and matchExpressions are ANDed. Throws FieldError.
 */
export function compileLabelSelector(sel: LabelSelector | null | undefined, path?: string): LabelMatcher {
  const p = path ?? '';
  if (sel === undefined || sel === null) return MATCH_NOTHING;
  if (!isObject(sel)) throw new FieldError(p, 'a label selector (matchLabels and/or matchExpressions)', show(sel));
  const reqs: Requirement[] = [];
  compileLabelMap(sel.matchLabels, joinFieldPath(p, 'matchLabels'), reqs);
  const exprs: unknown = sel.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    const ep = joinFieldPath(p, 'matchExpressions');
    if (!Array.isArray(exprs)) throw new FieldError(ep, 'a list of requirements', show(exprs));
    for (let i = 0; i < exprs.length; i++) reqs.push(compileExpression(exprs[i], `${ep}[${i}]`, false));
  }
  if (reqs.length === 0) return MATCH_EVERYTHING;
  return new CompiledLabelSelector(reqs, false, false);
}

// ---------------------------------------------------------------------------
// pod.spec.nodeSelector

/** pod.spec.nodeSelector (labels.SelectorFromSet): every key present with an equal value; empty matches all. */
export function matchesNodeSelectorMap(selector: Readonly<Record<string, string>> | undefined, labels: Labels): boolean {
  if (selector === undefined) return true;
  for (const key in selector) {
    if (!hasOwn(selector, key)) continue;
    const v = labels[key];
    if (typeof v !== 'string' || v !== selector[key]) return false;
  }
  return true;
}

/** matchesNodeSelectorMap, validated (as the API server validates pod.spec.nodeSelector) and compiled once. */
export function compileNodeSelectorMap(selector: Readonly<Record<string, string>> | null | undefined, path?: string): LabelMatcher {
  const reqs: Requirement[] = [];
  compileLabelMap(selector, path ?? '', reqs);
  return reqs.length === 0 ? MATCH_EVERYTHING : new CompiledLabelSelector(reqs, false, false);
}

// ---------------------------------------------------------------------------
// Node selectors (required node affinity, nodeSelectorTerms ORed)

interface FieldRequirement {
  readonly notIn: boolean;
  readonly value: string;
}

interface CompiledTerm {
  readonly labels: readonly Requirement[];
  readonly fields: readonly FieldRequirement[];
}

function termMatches(t: CompiledTerm, node: NodeLike): boolean {
  if (!allMatch(t.labels, node.labels ?? NO_LABELS)) return false;
  // Upstream only evaluates matchFields when the node has fields (a name).
  if (node.name === '') return true;
  const fields = t.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if ((node.name === f.value) === f.notIn) return false;
  }
  return true;
}

class CompiledNodeSelector implements NodeSelectorMatcher {
  constructor(private readonly terms: readonly CompiledTerm[]) {}

  matches(node: NodeLike): boolean {
    const terms = this.terms;
    for (let i = 0; i < terms.length; i++) if (termMatches(terms[i]!, node)) return true;
    return false;
  }
}

const NODE_MATCH_NOTHING: NodeSelectorMatcher = new CompiledNodeSelector([]);

/** A matchFields entry: key metadata.name (the only field the API server accepts), In/NotIn one value. */
function compileFieldRequirement(expr: unknown, path: string): FieldRequirement {
  if (!isObject(expr)) throw new FieldError(path, 'a requirement with key, operator and values', show(expr));
  const op = expr['operator'];
  if (op !== 'In' && op !== 'NotIn') throw new FieldError(joinFieldPath(path, 'operator'), FIELD_OPERATORS, show(op));
  const valuesPath = joinFieldPath(path, 'values');
  const values = checkValues(expr['values'], valuesPath);
  if (values.length !== 1) throw new FieldError(valuesPath, `exactly one value for operator ${op}`, show(values));
  if (expr['key'] !== 'metadata.name') {
    throw new FieldError(joinFieldPath(path, 'key'), 'metadata.name (the only supported node field)', show(expr['key']));
  }
  return { notIn: op === 'NotIn', value: values[0]! };
}

function isEmptyList(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

/** Upstream isEmptyNodeSelectorTerm: no matchExpressions and no matchFields. */
function isEmptyTerm(term: Record<string, unknown>): boolean {
  return isEmptyList(term['matchExpressions']) && isEmptyList(term['matchFields']);
}

/** Compiles a non-empty term; throws FieldError. */
function compileTerm(term: Record<string, unknown>, path: string): CompiledTerm {
  const labels: Requirement[] = [];
  const fields: FieldRequirement[] = [];
  const exprs = term['matchExpressions'];
  if (exprs !== undefined && exprs !== null) {
    const ep = joinFieldPath(path, 'matchExpressions');
    if (!Array.isArray(exprs)) throw new FieldError(ep, 'a list of requirements', show(exprs));
    for (let i = 0; i < exprs.length; i++) labels.push(compileExpression(exprs[i], `${ep}[${i}]`, true));
  }
  const fs = term['matchFields'];
  if (fs !== undefined && fs !== null) {
    const fp = joinFieldPath(path, 'matchFields');
    if (!Array.isArray(fs)) throw new FieldError(fp, 'a list of requirements', show(fs));
    for (let i = 0; i < fs.length; i++) fields.push(compileFieldRequirement(fs[i], `${fp}[${i}]`));
  }
  return { labels, fields };
}

/** Compiles one term, or undefined if it is empty (matches nothing) or invalid under 'matchNothing'. */
function compileTermOrSkip(term: unknown, path: string, options: NodeSelectorOptions | undefined): CompiledTerm | undefined {
  if (!isObject(term)) {
    if (term === undefined || term === null) return undefined; // a nil term selects nothing
    throw new FieldError(path, 'a node selector term (matchExpressions and/or matchFields)', show(term));
  }
  if (isEmptyTerm(term)) return undefined;
  try {
    return compileTerm(term, path);
  } catch (e) {
    if (options?.invalidTerms === 'matchNothing' && e instanceof FieldError) return undefined;
    throw e;
  }
}

/**
 * nodeaffinity.NodeSelector: nodeSelectorTerms are ORed; within a term,
 * matchExpressions (on labels) are ANDed with matchFields (metadata.name).
 * A null/empty term list, and an empty term, match nothing. Throws FieldError.
 */
export function compileNodeSelector(sel: NodeSelector, path?: string, options?: NodeSelectorOptions): NodeSelectorMatcher {
  const p = path ?? '';
  if (!isObject(sel)) throw new FieldError(p, 'a node selector (nodeSelectorTerms)', show(sel));
  const raw: unknown = sel.nodeSelectorTerms;
  if (raw === undefined || raw === null) return NODE_MATCH_NOTHING;
  const tp = joinFieldPath(p, 'nodeSelectorTerms');
  if (!Array.isArray(raw)) throw new FieldError(tp, 'a list of node selector terms', show(raw));
  const terms: CompiledTerm[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = compileTermOrSkip(raw[i], `${tp}[${i}]`, options);
    if (t !== undefined) terms.push(t);
  }
  return terms.length === 0 ? NODE_MATCH_NOTHING : new CompiledNodeSelector(terms);
}

/** One node selector term (e.g. a preferred scheduling term's preference); an empty term matches nothing. */
export function compileNodeSelectorTerm(term: NodeSelectorTerm, path?: string, options?: NodeSelectorOptions): NodeSelectorMatcher {
  const t = compileTermOrSkip(term, path ?? '', options);
  return t === undefined ? NODE_MATCH_NOTHING : new CompiledNodeSelector([t]);
}
