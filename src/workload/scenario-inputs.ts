// The files a run's result depends on, by content: the scenario and every file it reads
// (scheduler.configFile, scheduler.pluginModules and the modules they import by relative path,
// workload and cluster manifest files, traces). A sweep resumes a run, and `ksim merge` joins
// shards, only when these are the same; run.json and sweep.json record them.
//
// Paths are recorded as the scenario names them, relative to the scenario's folder (absolute
// only where the scenario gives an absolute path), with "/" separators: the same inputs give
// the same record on every machine and wherever the folder is checked out.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../api/input-error.js';
import { objectFilesOf } from './object-files.js';

/** A file the loaded scenario read (Scenario.inputFiles). */
export interface InputFile {
  /** As recorded: relative to the scenario's folder ("/"-separated), or absolute. */
  readonly path: string;
  /** Where it is on this machine. */
  readonly file: string;
  /** The scenario field that names it (`scheduler.configFile`, `workload[2].trace.file`, ...). */
  readonly field: string;
  /** A plugin module: its relative imports are inputs too. */
  readonly module?: boolean;
  /** The content's SHA-256 when the loader already has it (the scenario itself). */
  readonly sha256?: string;
}

/** One input as run.json and sweep.json record it. */
export interface HashedInput {
  readonly path: string;
  readonly sha256: string;
}

/** The inputs of a run (or the union over a sweep's matrix cells), sorted by path, and their
 * digest: the SHA-256 of the list as `sha256sum` prints it (`<sha256>  <path>\n` per file). */
export interface ScenarioInputs {
  readonly sha256: string;
  readonly files: readonly HashedInput[];
}

type Obj = Record<string, unknown>;

/** The scenario fields that name files (the JSON schema's "relative to the scenario" fields). */
export const FILE_FIELDS = ['cluster.file', 'cluster.trace.file', 'scheduler.configFile', 'scheduler.pluginModules', 'workload[].file', 'workload[].trace.file'] as const;

/** The files a scenario (its document `raw`, --sets applied, already loaded without error) reads. */
export function inputFilesOf(raw: Obj, scenarioFile: string, scenarioSha256: string): InputFile[] {
  const baseDir = dirname(resolve(scenarioFile));
  const out: InputFile[] = [{ path: toPosix(relative(baseDir, resolve(scenarioFile))), file: resolve(scenarioFile), field: '(the scenario)', sha256: scenarioSha256 }];
  const add = (rel: unknown, field: string, extra: { module?: boolean; recursive?: boolean; objects?: boolean } = {}) => {
    if (typeof rel !== 'string') return;
    const abs = resolve(baseDir, rel);
    // A file or a directory of object files, listed as the loader lists them.
    const files = extra.objects === true ? objectFilesOf(abs, rel, extra.recursive === true).map((f) => f.path) : [abs];
    for (const f of files) out.push({ path: recordedPath(baseDir, f, isAbsolute(rel)), file: f, field, ...(extra.module === true ? { module: true } : {}) });
  };
  const cluster = (raw['cluster'] ?? {}) as Obj;
  const clusterFiles = cluster['file'];
  if (Array.isArray(clusterFiles)) clusterFiles.forEach((f, i) => add(f, `cluster.file[${i}]`, { objects: true }));
  else add(clusterFiles, 'cluster.file', { objects: true });
  add(((cluster['trace'] ?? {}) as Obj)['file'], 'cluster.trace.file');
  const sched = (raw['scheduler'] ?? {}) as Obj;
  add(sched['configFile'], 'scheduler.configFile');
  ((sched['pluginModules'] ?? []) as unknown[]).forEach((m, i) => add(m, `scheduler.pluginModules[${i}]`, { module: true }));
  ((raw['workload'] ?? []) as Obj[]).forEach((e, i) => {
    add(e['file'], `workload[${i}].file`, { objects: true, recursive: e['recursive'] === true });
    add(((e['trace'] ?? {}) as Obj)['file'], `workload[${i}].trace.file`);
  });
  return out;
}

/** Hashes a scenario's inputs (streamed: a large trace is never held whole) and, for plugin
 * modules, the modules they import by relative path, followed transitively. `cache` (absolute
 * path → SHA-256) spares hashing a file twice within one command (a sweep's matrix cells). */
export function hashScenarioInputs(scenario: { readonly file: string; readonly inputFiles: readonly InputFile[] }, cache: Map<string, string> = new Map()): ScenarioInputs {
  const baseDir = dirname(resolve(scenario.file));
  const byPath = new Map<string, string>();
  const display = (f: InputFile) => (isAbsolute(f.path) ? f.path : normalize(join(dirname(scenario.file), f.path)));
  const visited = new Set<string>();
  const visit = (f: InputFile): void => {
    if (visited.has(f.file)) return;
    visited.add(f.file);
    if (f.module === true && MODULE_EXTENSIONS.test(f.file)) {
      // Read whole (source code, small): hashed and scanned for the modules it imports.
      const bytes = readInput(f, display(f), () => readFileSync(f.file));
      const sha = createHash('sha256').update(bytes).digest('hex');
      cache.set(f.file, sha);
      byPath.set(f.path, sha);
      for (const dep of relativeImports(bytes.toString('utf8'), f.file)) {
        // ksim itself, imported by path (its dist/src/index.js): not an input, as ksim imported
        // as a package is not (its version is in the resume key); else its whole import tree
        // (200-odd files, by absolute path) would be recorded as the scenario's.
        if (isKsimCode(dep.file)) continue;
        visit({ path: recordedPath(baseDir, dep.file, dep.absolute || isAbsolute(f.path)), file: dep.file, field: `${f.field} (imported)`, module: true });
      }
      return;
    }
    let sha = f.sha256 ?? cache.get(f.file);
    if (sha === undefined) {
      sha = readInput(f, display(f), () => fileSha256(f.file));
      cache.set(f.file, sha);
    }
    byPath.set(f.path, sha);
  };
  for (const f of scenario.inputFiles) visit(f);
  return inputsOf([...byPath].map(([path, sha256]) => ({ path, sha256 })));
}

/** The inputs of several runs as one record (sweep.json: the union over the matrix cells). */
export function unionInputs(all: readonly ScenarioInputs[]): ScenarioInputs {
  const byPath = new Map<string, string>();
  for (const i of all) for (const f of i.files) byPath.set(f.path, f.sha256);
  return inputsOf([...byPath].map(([path, sha256]) => ({ path, sha256 })));
}

/** Sorted by path (code units), with their digest. */
export function inputsOf(files: readonly HashedInput[]): ScenarioInputs {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const listing = sorted.map((f) => `${f.sha256}  ${f.path}\n`).join('');
  return { sha256: createHash('sha256').update(listing).digest('hex'), files: sorted };
}

/** The first input that differs between two records, described for a message; null when the
 * records hold the same files with the same content. */
export function inputDifference(a: readonly HashedInput[], b: readonly HashedInput[], aName: string, bName: string): string | null {
  const am = new Map(a.map((f) => [f.path, f.sha256]));
  const bm = new Map(b.map((f) => [f.path, f.sha256]));
  const paths = [...new Set([...am.keys(), ...bm.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  for (const p of paths) {
    const x = am.get(p);
    const y = bm.get(p);
    if (x === y) continue;
    if (x === undefined) return `${p} read by ${bName} only`;
    if (y === undefined) return `${p} read by ${aName} only`;
    return `${p} with other content (SHA-256 ${x.slice(0, 12)}… in ${aName}, ${y.slice(0, 12)}… in ${bName})`;
  }
  return null;
}

/** A record read back from run.json or sweep.json; null when absent or not of that shape (a
 * folder written before inputs were recorded). */
export function readInputs(json: Obj): ScenarioInputs | null {
  const sha256 = json['inputs_sha256'];
  const files = json['inputs'];
  if (typeof sha256 !== 'string' || !Array.isArray(files)) return null;
  if (!files.every((f) => typeof f === 'object' && f !== null && typeof (f as Obj)['path'] === 'string' && typeof (f as Obj)['sha256'] === 'string')) return null;
  return { sha256, files: (files as HashedInput[]).map((f) => ({ path: f.path, sha256: f.sha256 })) };
}

/** Chunk read at a time when hashing: memory stays flat whatever the file's size. */
const CHUNK_BYTES = 1 << 20;

/** The SHA-256 of a file's bytes, read in chunks. */
export function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, buf, 0, CHUNK_BYTES, null)) hash.update(n === CHUNK_BYTES ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** An input that cannot be read now (removed since the scenario was loaded) is bad input. */
function readInput<T>(f: InputFile, shown: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new InputError(shown, 0, 0, '', `a readable file (named by the scenario's ${f.field})`, code === 'ENOENT' ? 'no such file' : code);
  }
}

/** Source files scanned for imports; other module files (JSON, WebAssembly) are only hashed. */
const MODULE_EXTENSIONS = /\.[cm]?[jt]sx?$/i;

/** `import ... from '<s>'`, `export ... from '<s>'`, `import '<s>'`, `import('<s>')` and
 * `require('<s>')` with a literal specifier. A textual scan, not a parse: a match inside a
 * comment or string only adds a file to hash (when it exists); what it cannot see (computed
 * dynamic imports, packages) the README lists. */
const IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"])([^'"\r\n]+)\1/g;

/** Resolutions tried for a specifier without its file's extension (require(), index files). */
const TRY_SUFFIXES = ['', '.js', '.mjs', '.cjs', '.json', '/index.js', '/index.mjs', '/index.cjs'];

/** The files a module's source imports by relative (or absolute, or file: URL) specifier;
 * `absolute`: named by an absolute path (recorded so). */
export function relativeImports(source: string, moduleFile: string): { file: string; absolute: boolean }[] {
  const out: { file: string; absolute: boolean }[] = [];
  for (const m of source.matchAll(IMPORT)) {
    let spec = m[2]!;
    let base: string;
    if (spec.startsWith('file:')) {
      try {
        base = fileURLToPath(spec);
      } catch {
        continue;
      }
    } else if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) {
      spec = spec.replace(/[?#].*$/, '');
      base = resolve(dirname(moduleFile), spec);
    } else {
      continue; // a package (node_modules, a built-in): not hashed
    }
    const found = TRY_SUFFIXES.map((s) => base + s).find(isFile);
    if (found !== undefined && !out.some((o) => o.file === found)) out.push({ file: found, absolute: !spec.startsWith('.') });
  }
  return out;
}

/** Package roots already looked at: whether each is ksim's (its package.json names ksim). */
const ksimRoots = new Map<string, boolean>();

/** Whether `file` is in the dist/ folder of a ksim package (this one, or another install a
 * plugin imports by path): a folder `dist` whose parent's package.json is named "ksim". */
export function isKsimCode(file: string): boolean {
  const parts = resolve(file).split(sep);
  for (let i = parts.length - 2; i > 0; i--) {
    if (parts[i] !== 'dist') continue;
    const root = parts.slice(0, i).join(sep) || sep;
    let ksim = ksimRoots.get(root);
    if (ksim === undefined) {
      try {
        ksim = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown }).name === 'ksim';
      } catch {
        ksim = false;
      }
      ksimRoots.set(root, ksim);
    }
    if (ksim) return true;
  }
  return false;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `file` as recorded: relative to the scenario's folder, or absolute when the scenario named
 * it (or the module importing it) by an absolute path. */
function recordedPath(baseDir: string, file: string, absolute: boolean): string {
  return toPosix(absolute ? file : relative(baseDir, file));
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
