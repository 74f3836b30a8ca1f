// Reading Kubernetes objects from files as people have them, the way `kubectl apply -f` does:
// a file or a directory (its *.yaml, *.yml and *.json files in name order; subdirectories with
// `recursive`, like -R), multi-document YAML (Helm and kustomize output: empty documents,
// comments), and `List`/`*List` documents whose items may leave out their kind (a PodList's
// items are Pods). One reader for workload files, cluster files and `ksim explain --cluster`.
// Upstream: k8s.io/cli-runtime/pkg/resource/visitor.go (ExpandPathsToFileVisitors,
// FileExtensions) and meta.ExtractList.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { readYamlFile, type Path, type YamlDoc } from '../api/yaml-source.js';
import { describeValue as describe, isObject as isObj } from '../api/values.js';

/** One object found in a file: where it is (document and path) and its value. */
export interface ObjectItem {
  readonly doc: YamlDoc;
  readonly path: Path;
  readonly value: Record<string, unknown>;
}

export interface ReadObjectsOptions {
  /** Directories: read subdirectories too (kubectl -R). */
  readonly recursive?: boolean;
  /** Receives warnings: unknown fields of a List, a bare JSON array read as a List. */
  readonly warnings?: string[];
  /** Accept a bare JSON array of objects (what some tools print) as a List, with a warning. */
  readonly bareArray?: boolean;
  /** What a file without any document was expected to hold (the message's "expected ..."). */
  readonly emptyFile?: string;
  /** What a document that is not a mapping was expected to be. */
  readonly notAnObject?: string;
}

/** kubectl's FileExtensions: the files of a directory that are read. */
const EXTENSIONS = /\.(ya?ml|json)$/i;
const LIST_FIELDS = ['apiVersion', 'kind', 'metadata', 'items'];
/** Directories deeper than this are not followed (a symlink loop would never end). */
const MAX_DIRECTORY_DEPTH = 32;

/** The files `path` names: itself, or a directory's object files in kubectl's order (lexical,
 * a subdirectory's files at its place in the order when `recursive`). `display` names `path`. */
export function objectFilesOf(path: string, display: string, recursive = false): { path: string; display: string }[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(display, 0, 0, '', 'a readable file or directory', code === 'ENOENT' ? 'no such file' : String(code ?? e));
  }
  if (!isDir) return [{ path, display }];
  const out: { path: string; display: string }[] = [];
  let skippedDirectory = false;
  const walk = (dir: string, shown: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort(byCodeUnit);
    } catch (e) {
      throw new InputError(shown, 0, 0, '', 'a readable directory', String((e as NodeJS.ErrnoException).code ?? e));
    }
    for (const name of names) {
      const p = join(dir, name);
      const s = `${shown.replace(/\/$/, '')}/${name}`;
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // a dangling symlink: kubectl's walk skips what it cannot stat as a file
      }
      if (st.isDirectory()) {
        if (recursive && depth < MAX_DIRECTORY_DEPTH) walk(p, s, depth + 1);
        else skippedDirectory = true;
      } else if (EXTENSIONS.test(name)) {
        out.push({ path: p, display: s });
      }
    }
  };
  walk(path, display, 0);
  if (out.length === 0) {
    throw new InputError(display, 0, 0, '', `a directory with *.yaml, *.yml or *.json files${skippedDirectory && !recursive ? ' (subdirectories are read with recursive: true)' : ''}`, 'none');
  }
  return out;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every object of a file or directory (see objectFilesOf), Lists expanded, in file order. */
export function readObjectPaths(path: string, display: string, opts: ReadObjectsOptions = {}): ObjectItem[] {
  const out: ObjectItem[] = [];
  for (const f of objectFilesOf(path, display, opts.recursive === true)) out.push(...readObjectFile(f.path, f.display, opts));
  return out;
}

/** Every object of one file: each document, a List's items (a kindless item takes its kind and
 * apiVersion from a typed list: PodList → Pod). */
export function readObjectFile(path: string, display: string, opts: ReadObjectsOptions = {}): ObjectItem[] {
  // Empty documents (a lone "---", Helm's templates that render nothing) are skipped, as
  // kubectl's YAML decoder does.
  const docs = readYamlFile(path, display).map((d) => ({ d, v: d.toJS() })).filter(({ v }) => v !== null);
  if (docs.length === 0) throw new InputError(display, 0, 0, '', opts.emptyFile ?? 'a Kubernetes object or a List', 'an empty file');
  const out: ObjectItem[] = [];
  for (const { d, v } of docs) expandDocument(d, v, opts, out);
  return out;
}

/** The objects of the value `v` found at `at` in a parsed document (a List is expanded). */
export function expandDocument(d: YamlDoc, v: unknown, opts: ReadObjectsOptions, out: ObjectItem[], at: Path = []): void {
  if (Array.isArray(v) && opts.bareArray === true) {
    opts.warnings?.push(d.warning(at, 'a bare JSON array of objects, read as a List (kubectl prints {"kind": "List", "items": [...]})'));
    v.forEach((it, i) => {
      if (!isObj(it)) throw d.error([...at, i], 'a Kubernetes object (a mapping with apiVersion and kind)', describe(it));
      out.push({ doc: d, path: [...at, i], value: it });
    });
    return;
  }
  if (!isObj(v)) throw d.error(at, opts.notAnObject ?? 'a Kubernetes object or a List (a mapping with apiVersion and kind)', describe(v));
  const kind = v['kind'];
  if (typeof kind !== 'string') throw d.error([...at, 'kind'], 'the kind of the object (e.g. List, Node, Pod)', describe(kind));
  if (!isListKind(kind)) {
    out.push({ doc: d, path: at, value: v });
    return;
  }
  const items = v['items'];
  if (!Array.isArray(items)) throw d.error([...at, 'items'], 'a list of objects', describe(items));
  for (const k of Object.keys(v)) if (!LIST_FIELDS.includes(k)) opts.warnings?.push(d.warning(at, `unknown field ${JSON.stringify(k)}`, k));
  // A typed list (PodList, NodeList, ...) as the API server returns it: items without kind.
  const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  const apiVersion = v['apiVersion'];
  items.forEach((it, i) => {
    if (!isObj(it)) throw d.error([...at, 'items', i], 'a Kubernetes object (a mapping with apiVersion and kind)', describe(it));
    if (itemKind !== undefined && it['kind'] === undefined) {
      const filled: Record<string, unknown> = { apiVersion, kind: itemKind, ...it };
      if (it['apiVersion'] !== undefined) filled['apiVersion'] = it['apiVersion'];
      out.push({ doc: d, path: [...at, 'items', i], value: filled });
    } else {
      out.push({ doc: d, path: [...at, 'items', i], value: it });
    }
  });
}

/** `List`, or a typed list such as `PodList` (an upper-case letter before "List"). */
export function isListKind(kind: string): boolean {
  return kind === 'List' || /^[A-Z][A-Za-z0-9]*List$/.test(kind);
}
