// Structural validation against the published JSON Schema (schema/scenario.schema.json), with
// Ajv's errors turned into one located, readable message.
import type { ErrorObject } from 'ajv';
import type { YamlDoc } from '../api/yaml-source.js';
import { closest } from '../api/suggest.js';

// Compiled from schema/scenario.schema.json by Ajv at build time (scripts/build-schema-validator.mjs).
import { validate } from './scenario-validator.js';

export function validateAgainstSchema(doc: YamlDoc, value: unknown): void {
  if (validate(value)) return;
  throw describeError(doc, pickError(validate.errors ?? []));
}

function pathOf(e: ErrorObject): (string | number)[] {
  if (e.instancePath === '') return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

/** The most useful of Ajv's errors: the deepest one; but when the deepest path holds a failed
 * oneOf, the oneOf itself (its branches' errors only confuse). */
function pickError(errors: ErrorObject[]): ErrorObject {
  let best = errors[0] as ErrorObject;
  let depth = -1;
  for (const e of errors) {
    const d = pathOf(e).length + (e.keyword === 'additionalProperties' || e.keyword === 'required' ? 0.5 : 0);
    if (d > depth) {
      best = e;
      depth = d;
    }
  }
  const oneOf = errors.find((e) => e.keyword === 'oneOf' && e.instancePath === best.instancePath);
  return oneOf ?? best;
}

function got(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  // JSON.stringify turns Infinity and NaN (YAML .inf, .nan, 1e400) into "null".
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v);
}

function describeError(doc: YamlDoc, e: ErrorObject) {
  const path = pathOf(e);
  const schema = e.parentSchema as { description?: string } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const fields = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const near = prop.length > 64 ? null : closest(prop, fields);
      const hint = near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
      return doc.error(path, `one of the fields ${fields.join(', ')}`, `unknown field ${JSON.stringify(prop)}${hint}`, prop);
    }
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return doc.error(path, `the required field ${JSON.stringify(prop)}`);
    }
    case 'type':
      // A bounded number given as .inf or .nan: say the whole accepted range.
      if (typeof e.data === 'number' && range(e.parentSchema as Bounds) !== '') {
        const what = (e.params as { type: string | string[] }).type === 'integer' ? 'an integer' : 'a number';
        return doc.error(path, `${what} ${range(e.parentSchema as Bounds)}`, got(e.data));
      }
      // Definitions (duration, quantity) describe what they expect: "a Go-style duration ...".
      return doc.error(path, /^an? /.test(schema?.description ?? '') ? (schema?.description as string) : article((e.params as { type: string | string[] }).type), got(e.data));
    case 'const':
      return doc.error(path, JSON.stringify((e.params as { allowedValue: unknown }).allowedValue), got(e.data));
    case 'enum':
      return doc.error(path, `one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`, got(e.data));
    case 'pattern': {
      const expected = schema?.description ?? PATTERNS[(e.params as { pattern: string }).pattern] ?? `a value matching ${(e.params as { pattern: string }).pattern}`;
      // "-10m" is a Go duration, but not one a scenario's times and lengths take.
      const negative = typeof e.data === 'string' && e.data.startsWith('-') && /duration/.test(expected);
      return doc.error(path, negative ? `${expected}, not negative` : expected, got(e.data));
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      // An integer field says so: `seed: -1` and `seed: 1.5` are told the same (src/api/seed.ts
      // words a library caller's seed this way too).
      return doc.error(path, `${(e.parentSchema as { type?: unknown }).type === 'integer' ? 'an integer' : 'a number'} ${range(e.parentSchema as Bounds)}`, got(e.data));
    case 'maxLength':
      return doc.error(path, `a string of at most ${(e.params as { limit: number }).limit} characters`, got(e.data));
    case 'minLength': {
      const limit = (e.params as { limit: number }).limit;
      return doc.error(path, limit === 1 ? 'a non-empty string' : `a string of at least ${limit} characters`, got(e.data));
    }
    case 'oneOf':
      return doc.error(path, schema?.description ?? 'one of the allowed forms', got(e.data));
    case 'minItems':
    case 'maxItems': {
      const limit = (e.params as { limit: number }).limit;
      const n = Array.isArray(e.data) ? e.data.length : 0;
      const what = e.keyword === 'minItems' ? (limit === 1 ? 'a non-empty list' : `a list of at least ${limit} items`) : `a list of at most ${limit} item${limit === 1 ? '' : 's'}`;
      return doc.error(path, what, `${n} item${n === 1 ? '' : 's'}`);
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const items = Array.isArray(e.data) ? e.data : [];
      return doc.error(path, 'each item once', `${got(items[Math.min(i, j)])} at [${Math.min(i, j)}] and again at [${Math.max(i, j)}]`);
    }
    case 'minProperties':
    case 'maxProperties': {
      const limit = (e.params as { limit: number }).limit;
      const keys = e.data !== null && typeof e.data === 'object' ? Object.keys(e.data) : [];
      const fields = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const one = fields.length > 0 ? ` (one of ${fields.join(', ')})` : '';
      const what = e.keyword === 'maxProperties' && limit === 1 ? `exactly one field${one}` : e.keyword === 'minProperties' ? `at least ${limit} field${limit === 1 ? '' : 's'}${one}` : `at most ${limit} fields${one}`;
      return doc.error(path, what, keys.length === 0 ? 'none' : `${keys.length} field${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}`);
    }
    default:
      return doc.error(path, e.message?.replace(/^must /, 'to ') ?? 'a valid value', got(e.data));
  }
}

interface Bounds {
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly exclusiveMaximum?: number;
}

/** The whole accepted range of a bounded number, e.g. ">= 0.001 and <= 1000000000". */
function range(b: Bounds): string {
  const parts: string[] = [];
  if (b.minimum !== undefined) parts.push(`>= ${b.minimum}`);
  if (b.exclusiveMinimum !== undefined) parts.push(`> ${b.exclusiveMinimum}`);
  if (b.maximum !== undefined) parts.push(`<= ${b.maximum}`);
  if (b.exclusiveMaximum !== undefined) parts.push(`< ${b.exclusiveMaximum}`);
  return parts.join(' and ');
}

/** What the schema's patterns mean, for those without a description. */
const PATTERNS: Record<string, string> = {
  '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$': 'a lowercase RFC 1123 name (a-z, 0-9, "-", "."; at most 253 characters)',
};

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
};

/** Ajv gives a union type (e.g. a quantity's ["string", "number"]) as an array. */
function article(type: string | readonly string[]): string {
  return (typeof type === 'string' ? type.split(',') : type).map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

