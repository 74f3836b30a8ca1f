// Small helpers for reading untyped values (parsed YAML/JSON) and naming them in messages.

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How a value is named after "got" in an error message. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // JSON.stringify says null
  // What a library caller may pass that no parsed file holds: JSON.stringify throws on a bigint
  // and gives undefined for a function or a symbol.
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  return JSON.stringify(v) ?? String(v);
}

/**
 * `{ ...a, ...b, ... }` (own enumerable string keys, later parts winning, "__proto__" copied as a
 * data property as spread does), built by assigning into a fresh object. For objects that live
 * long and are read on hot paths (pods, their metadata and spec, node labels): V8 gives an object
 * spread followed by more fields, at a site that has seen many shapes, a hidden class of its own
 * per result (every pod's metadata had its own map and descriptors, ~300 bytes, and every read of
 * it was megamorphic); assigned fields follow the shared transitions.
 */
export function merged<T extends object>(...parts: readonly (object | null | undefined)[]): T {
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    if (p === undefined || p === null) continue;
    for (const k in p) {
      if (!Object.hasOwn(p, k)) continue;
      setOwn(out, k, (p as Record<string, unknown>)[k]);
    }
  }
  return out as T;
}

/** `out[k] = v` as a data property of `out` even for "__proto__" (which assignment would take
 * as setting the prototype), as JSON.parse and spreads make it. */
export function setOwn(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** A deep copy of a parsed JSON/YAML value (plain objects, arrays and primitives), about three
 * times faster than structuredClone on Kubernetes objects. Keys are copied as own data
 * properties, "__proto__" included (as JSON.parse makes them). */
export function copyPlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyPlain(v[i] as unknown);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    setOwn(out, k, copyPlain((v as Record<string, unknown>)[k]));
  }
  return out as T;
}

/** A text equal for two parsed values exactly when they are equal whatever their keys' order:
 * JSON with object keys sorted at every depth and undefined fields dropped, except that NaN and
 * the infinities (YAML's .nan, .inf) are written as themselves rather than as null. Compares
 * manifests (a Deployment's template against its ReplicaSets', pods' spec parts) and feeds the
 * pod-template-hash. */
export function canonicalJson(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : String(v);
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + canonicalJson(v[i]);
        return `${s}]`;
      }
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let s = '{';
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined) continue;
        s += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(x)}`;
        first = false;
      }
      return `${s}}`;
    }
    default:
      return JSON.stringify(v) ?? 'null';
  }
}

/** Freezes `v` and everything under it (objects and arrays; frozen parts are left as they are),
 * for values shared by many holders: code that changed one in place would change them all, and
 * fails at once instead. */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return Object.freeze(v);
}

/** Whether two parsed values are written out as the same JSON text by JSON.stringify: one
 * value, or equal primitives (NaN, written as null, is not equal to itself and so never the
 * same), arrays of the same items, objects with the same keys in the same order and the same
 * values. Values written alike but unequal (a NaN and a null) count as different, which only
 * costs the caller its fast path. */
export function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aArray = Array.isArray(a);
  if (aArray !== Array.isArray(b)) return false;
  if (aArray) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJsonValue(x[i], y[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const ky = Object.keys(y);
  let i = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    if (i >= ky.length || ky[i] !== k || !sameJsonValue(x[k], y[k])) return false;
    i++;
  }
  return i === ky.length;
}
