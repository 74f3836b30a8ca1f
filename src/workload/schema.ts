// Structural validation against the published JSON Schema (schema/scenario.schema.json), with
// Ajv's errors turned into one located, readable message.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { YamlDoc } from '../api/yaml-source.js';
import { closest } from '../api/suggest.js';

// dist/src/workload/schema.js and src/workload/schema.ts both sit three levels below the root.
const SCHEMA_PATH = fileURLToPath(new URL('../../../schema/scenario.schema.json', import.meta.url));

let validator: ValidateFunction | null = null;

function getValidator(): ValidateFunction {
  if (validator === null) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  return validator;
}

export function validateAgainstSchema(doc: YamlDoc, value: unknown): void {
  const validate = getValidator();
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
  return JSON.stringify(v);
}

function describeError(doc: YamlDoc, e: ErrorObject) {
  const path = pathOf(e);
  const schema = e.parentSchema as { description?: string } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const fields = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const near = closest(prop, fields);
      const hint = near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
      return doc.error(path, `one of the fields ${fields.join(', ')}`, `unknown field ${JSON.stringify(prop)}${hint}`, prop);
    }
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return doc.error(path, `the required field ${JSON.stringify(prop)}`);
    }
    case 'type':
      return doc.error(path, `${article((e.params as { type: string }).type)}`, got(e.data));
    case 'const':
      return doc.error(path, JSON.stringify((e.params as { allowedValue: unknown }).allowedValue), got(e.data));
    case 'enum':
      return doc.error(path, `one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`, got(e.data));
    case 'pattern':
      return doc.error(path, schema?.description ?? `a value matching ${(e.params as { pattern: string }).pattern}`, got(e.data));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return doc.error(path, `a number ${e.message?.replace(/^must be /, '') ?? ''}`, got(e.data));
    case 'oneOf':
      return doc.error(path, schema?.description ?? 'one of the allowed forms', got(e.data));
    default:
      return doc.error(path, e.message?.replace(/^must /, 'to ') ?? 'a valid value', got(e.data));
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
};

function article(type: string): string {
  return type.split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

