// Kubernetes objects decoded as kubectl's strict decoding does (kubectl apply --validate=warn):
// a field the object's type does not declare is a warning with its path, and a value of the
// wrong JSON type is an error. The types come from kubernetes-types (known-fields.ts, generated
// by scripts/gen-known-fields.mjs).
import { closest } from '../api/suggest.js';
import { parseQuantity } from '../api/quantity.js';
import { clipQuoted, located, type Path, type YamlDoc } from '../api/yaml-source.js';
import { KIND_TYPES, KNOWN_TYPES } from './known-fields.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';




function withArticle(name: string): string {
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** The type name of a kind's objects (e.g. "Pod"), or undefined for kinds not in the table. */
export function typeOfKind(kind: string): string | undefined {
  return Object.hasOwn(KIND_TYPES, kind) ? KIND_TYPES[kind] : undefined;
}

/** The fields an object type declares (for tests and messages). */
export function fieldsOf(type: string): readonly string[] {
  return Object.hasOwn(KNOWN_TYPES, type) ? Object.keys(KNOWN_TYPES[type] as object) : [];
}

/**
 * Checks `value` (found at `path` in `doc`) against `type`: throws an InputError for a value of
 * the wrong JSON type, and appends an "unknown field" warning for each field the type does not
 * declare (none when `warnings` is undefined). null is accepted anywhere, as Go's decoding
 * treats it as "not set".
 */
export function checkObjectFields(doc: YamlDoc, path: Path, value: unknown, type: string, warnings: string[] | undefined): void {
  // Depth-first in document order, without recursion; an unknown field is a warning entry on
  // the stack, so that warnings come out in the order of the file.
  const stack: { path: Path; value: unknown; type: string; warning?: string }[] = [{ path, value, type }];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.warning !== undefined) {
      warnings?.push(e.warning);
      continue;
    }
    const { path: p, value: v, type: t } = e;
    if (v === null || v === undefined || t === 'x') continue;
    switch (t) {
      case 's':
        if (typeof v !== 'string') throw doc.error(p, typeof v === 'number' || typeof v === 'boolean' ? 'a string (quote numbers and booleans)' : 'a string', describe(v));
        continue;
      case 'n':
        if (typeof v !== 'number' || !Number.isFinite(v)) throw doc.error(p, 'a number', describe(v));
        continue;
      case 'b':
        if (typeof v !== 'boolean') throw doc.error(p, 'true or false', describe(v));
        continue;
      case 'i':
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw doc.error(p, 'an integer or a string such as "25%"', describe(v));
        continue;
      case 'q':
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw doc.error(p, 'a quantity (a string such as 100m or 2Gi, or a number)', describe(v));
        located(doc, p, () => parseQuantity(v));
        continue;
    }
    if (t.startsWith('[]')) {
      if (!Array.isArray(v)) throw doc.error(p, 'a list', describe(v));
      const item = t.slice(2);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ path: [...p, i], value: v[i], type: item });
      continue;
    }
    if (t.startsWith('{}')) {
      if (!isObj(v)) throw doc.error(p, 'a mapping', describe(v));
      const item = t.slice(2);
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ path: [...p, keys[i] as string], value: v[keys[i] as string], type: item });
      continue;
    }
    const fields = KNOWN_TYPES[t];
    if (fields === undefined) throw new Error(`known-fields: no type ${t}`);
    if (!isObj(v)) throw doc.error(p, `${withArticle(t)} (a mapping)`, describe(v));
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      const ft = Object.hasOwn(fields, k) ? fields[k] : undefined;
      if (ft !== undefined) {
        stack.push({ path: [...p, k], value: v[k], type: ft });
      } else if (warnings !== undefined) {
        const near = k.length > 64 ? null : closest(k, Object.keys(fields));
        stack.push({ path: p, value: null, type: 'x', warning: doc.warning(p, `unknown field ${clipQuoted(JSON.stringify(k))}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`, k) });
      }
    }
  }
}
