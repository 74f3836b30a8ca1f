// Kubernetes objects decoded as kubectl's strict decoding does (kubectl apply --validate=warn):
// a field the object's type does not declare is a warning with its path, and a value of the
// wrong JSON type is an error. The types come from kubernetes-types (known-fields.ts, generated
// by scripts/gen-known-fields.mjs).
import { closest } from '../api/suggest.js';
import { parseQuantity } from '../api/quantity.js';
import { clipQuoted, type Path, type YamlDoc } from '../api/yaml-source.js';
import { FieldError } from '../api/field-error.js';
import { KIND_TYPES, KIND_VERSION_TYPES, KNOWN_TYPES } from './known-fields.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';




function withArticle(name: string): string {
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

/** The type name of a kind's objects (e.g. "Pod"), in `apiVersion` when the kind is served in
 * several with other fields (autoscaling/v1 and v2 HorizontalPodAutoscaler), or undefined for
 * kinds not in the table. */
export function typeOfKind(kind: string, apiVersion?: unknown): string | undefined {
  const versioned = `${String(apiVersion)} ${kind}`;
  if (typeof apiVersion === 'string' && Object.hasOwn(KIND_VERSION_TYPES, versioned)) return KIND_VERSION_TYPES[versioned];
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
  // the stack, so that warnings come out in the order of the file. An entry names its parent
  // and its key rather than carrying its whole path: a path is only built for a message (a
  // copied path per field was most of what loading 10,000 pods allocated here).
  const root: FieldEntry = { parent: null, key: null, value, type, warning: undefined };
  const stack: FieldEntry[] = [root];
  const at = (e: FieldEntry): Path => entryPath(path, e);
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.warning !== undefined) {
      warnings?.push(e.warning);
      continue;
    }
    const v = e.value;
    const t = e.type;
    if (v === null || v === undefined || t === 'x') continue;
    switch (t) {
      case 's':
        if (typeof v !== 'string') throw doc.error(at(e), typeof v === 'number' || typeof v === 'boolean' ? 'a string (quote numbers and booleans)' : 'a string', describe(v));
        continue;
      case 'n':
        if (typeof v !== 'number' || !Number.isFinite(v)) throw doc.error(at(e), 'a number', describe(v));
        continue;
      case 'b':
        if (typeof v !== 'boolean') throw doc.error(at(e), 'true or false', describe(v));
        continue;
      case 'i':
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw doc.error(at(e), 'an integer or a string such as "25%"', describe(v));
        continue;
      case 'q':
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw doc.error(at(e), 'a quantity (a string such as 100m or 2Gi, or a number)', describe(v));
        try {
          parseQuantity(v);
        } catch (err) {
          if (err instanceof FieldError) throw doc.fieldError(at(e), err);
          throw err;
        }
        continue;
    }
    if (t.startsWith('[]')) {
      if (!Array.isArray(v)) throw doc.error(at(e), 'a list', describe(v));
      const item = t.slice(2);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ parent: e, key: i, value: v[i], type: item, warning: undefined });
      continue;
    }
    if (t.startsWith('{}')) {
      if (!isObj(v)) throw doc.error(at(e), 'a mapping', describe(v));
      const item = t.slice(2);
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ parent: e, key: keys[i] as string, value: v[keys[i] as string], type: item, warning: undefined });
      continue;
    }
    const fields = KNOWN_TYPES[t];
    if (fields === undefined) throw new Error(`known-fields: no type ${t}`);
    if (!isObj(v)) throw doc.error(at(e), `${withArticle(t)} (a mapping)`, describe(v));
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i] as string;
      const ft = Object.hasOwn(fields, k) ? fields[k] : undefined;
      if (ft !== undefined) {
        stack.push({ parent: e, key: k, value: v[k], type: ft, warning: undefined });
      } else if (warnings !== undefined) {
        const near = k.length > 64 ? null : closest(k, Object.keys(fields));
        stack.push({ parent: null, key: null, value: null, type: 'x', warning: doc.warning(at(e), `unknown field ${clipQuoted(JSON.stringify(k))}${near === null ? '' : ` (did you mean ${JSON.stringify(near)}?)`}`, k) });
      }
    }
  }
}

/** A value to check: where it is (its parent entry and its key there; the root has neither),
 * what type it should have, or a warning to emit at this point of the walk. */
interface FieldEntry {
  readonly parent: FieldEntry | null;
  readonly key: string | number | null;
  readonly value: unknown;
  readonly type: string;
  readonly warning: string | undefined;
}

/** The full path of an entry: the checked value's own path, then the keys down to the entry. */
function entryPath(base: Path, e: FieldEntry): Path {
  const keys: (string | number)[] = [];
  for (let x: FieldEntry | null = e; x !== null && x.key !== null; x = x.parent) keys.push(x.key);
  return [...base, ...keys.reverse()];
}
