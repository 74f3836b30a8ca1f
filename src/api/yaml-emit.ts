// A fast emitter of block YAML for the files ksim writes for itself to read (`ksim import`'s
// snapshot): kubectl's layout (lists at their key's indentation), every line inside the fast
// reader's subset (src/api/yaml-fast.ts), so that the file is read back at its speed. It does a
// few string operations per value, where the `yaml` package's stringify builds a document tree
// first (on a 10,000-pod snapshot: about half the import's time and most of its garbage).
// Strings that are not safe plain scalars are written as JSON strings, which are valid YAML
// double-quoted scalars meaning the same; numbers, booleans and null as JSON writes them (but
// -0, infinities and NaN as YAML's own). Values read back by either reader equal those written.
import { resolvePlain } from './yaml-fast.js';

/** A plain scalar needs no quotes when it starts with one of these and holds only these (with
 * single spaces and ":" not before a space or at the end): no indicator, comment or escape. */
const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./:@=+,%()~ -]*$/;
/** Keys are stricter: no ":" or space at all (label and annotation keys never have them), and no
 * "." first ("..." at a line's start ends a document). */
const PLAIN_KEY = /^[A-Za-z0-9_/][A-Za-z0-9_./@=+,%()~-]*$/;
/** Plain scalars YAML 1.1 readers (kubectl's sigs.k8s.io/yaml, go-yaml v2) take for booleans,
 * numbers or times where YAML 1.2 reads strings ("yes", "on", "1_000", "1:30", a date): quoted,
 * so that the file means the same to them too (kubectl quotes timestamps likewise). */
const YAML11 = /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$|^[-+.0-9][-+.0-9_:eE]*$|^[-+]?0b[01_]+$|^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/;
/** Characters JSON.stringify leaves raw that YAML does not print raw (DEL, C1 controls, NEL),
 * or that readers may treat as line breaks or a byte order mark: escaped as \uXXXX. */
const UNPRINTABLE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
/** YAML limits an implicit key to 1024 characters (with its quotes); longer keys are written as
 * explicit "? key" entries. */
const MAX_IMPLICIT_KEY = 1000;

/** A string as a double-quoted YAML scalar: JSON's escapes mean the same in YAML. */
function quoted(s: string): string {
  const j = JSON.stringify(s);
  return UNPRINTABLE.test(j) ? j.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
}

function plainOk(s: string, re: RegExp): boolean {
  if (!re.test(s)) return false;
  const last = s.charCodeAt(s.length - 1);
  if (last === 0x20 || last === 0x3a /* : */ || s.includes(': ') || s.includes('  ')) return false;
  // "true", "null", "0x1F", "1e3", ".inf": scalars the core schema reads as other types.
  return resolvePlain(s) === s && !YAML11.test(s);
}

/** A string value as a scalar: plain when that reads back as the same string, else quoted. */
export function yamlString(s: string): string {
  return plainOk(s, PLAIN) ? s : quoted(s);
}

const keyCache = new Map<string, string>();

/** A mapping key's text (the same keys come back in every object: cached, up to a bound). */
function yamlKey(k: string): string {
  let t = keyCache.get(k);
  if (t === undefined) {
    t = plainOk(k, PLAIN_KEY) ? k : quoted(k);
    if (keyCache.size < 100_000) keyCache.set(k, t);
  }
  return t;
}

function yamlNumber(n: number): string {
  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n); // "1e+21" is a float in YAML too
  return Number.isNaN(n) ? '.nan' : n > 0 ? '.inf' : '-.inf';
}

/** The text of a scalar or empty collection, or null for a non-empty mapping or list. */
function inline(v: unknown): string | null {
  switch (typeof v) {
    case 'string':
      return yamlString(v);
    case 'number':
      return yamlNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null'; // as JSON writes an undefined list element
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : null;
      return hasEntries(v as Record<string, unknown>) ? null : '{}';
    default:
      // bigint, function, symbol: not JSON values; nothing ksim reads holds them.
      throw new TypeError(`cannot write a ${typeof v} as YAML`);
  }
}

function hasEntries(o: Record<string, unknown>): boolean {
  for (const k in o) if (Object.hasOwn(o, k) && o[k] !== undefined) return true;
  return false;
}

/** A non-empty mapping's lines at indentation `ind`; the first line starts with `first` instead
 * (a list item's "- "). Keys whose value is undefined are left out, as JSON leaves them out. */
function mapping(o: Record<string, unknown>, ind: string, first: string): string {
  let out = '';
  let lead = first;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const v = o[k];
    if (v === undefined) continue;
    const key = yamlKey(k);
    if (key.length > MAX_IMPLICIT_KEY) {
      // "? key" then ": value", the value's block indented under the ":".
      const s = inline(v);
      out += `${lead}? ${key}\n${ind}:${s !== null ? ` ${s}\n` : `\n${block(v, `${ind}  `)}`}`;
    } else {
      const s = inline(v);
      if (s !== null) out += `${lead}${key}: ${s}\n`;
      else if (Array.isArray(v)) out += `${lead}${key}:\n${sequence(v, ind)}`; // at the key's indentation, as kubectl writes it
      else out += `${lead}${key}:\n${mapping(v as Record<string, unknown>, `${ind}  `, `${ind}  `)}`;
    }
    lead = ind;
  }
  return out;
}

/** A non-empty list's lines, its "-" at indentation `ind`. */
function sequence(a: readonly unknown[], ind: string): string {
  let out = '';
  for (const v of a) {
    const s = inline(v);
    if (s !== null) out += `${ind}- ${s}\n`;
    else if (Array.isArray(v)) out += `${ind}-\n${sequence(v, `${ind}  `)}`; // "- - x" is outside the fast reader's subset
    else out += mapping(v as Record<string, unknown>, `${ind}  `, `${ind}- `);
  }
  return out;
}

/** A non-empty mapping or list as lines at indentation `ind`. */
function block(v: unknown, ind: string): string {
  return Array.isArray(v) ? sequence(v, ind) : mapping(v as Record<string, unknown>, ind, ind);
}

/** One element of a top-level list at indentation 0 ("- ..." and the lines under it), ending
 * with a newline: the text of a List's item under `items:`. */
export function yamlListItem(v: unknown): string {
  return sequence([v], '');
}

/** A whole YAML document for `v` (a mapping, a list or a scalar), ending with a newline. */
export function yamlDocument(v: unknown): string {
  // A string alone at a line's start could be a document marker ("..."): quoted.
  const s = typeof v === 'string' ? quoted(v) : inline(v);
  return s !== null ? `${s}\n` : block(v, '');
}
