// A parsed YAML (or JSON) file that remembers where every value came from, so that any error
// can name the file, line and column of the offending field.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { FieldError } from './field-error.js';
import { formatPath, InputError } from './input-error.js';

export type Path = readonly (string | number)[];

/** Largest YAML file ksim reads; bigger files are almost certainly a mistake. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Alias expansions allowed while converting to JS (defends against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

export class YamlDoc {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    /** Path prefix under which this document's values are reported. */
    readonly base: Path = [],
  ) {}

  /** 1-based line/column of the value at `path` (or of its nearest existing ancestor). */
  position(path: Path, keyOf?: string): { line: number; column: number } {
    let p = [...path];
    for (;;) {
      const node = p.length === 0 ? this.doc.contents : this.doc.getIn(p, true);
      if (keyOf !== undefined && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === keyOf);
        const keyNode = pair?.key as YamlNode | undefined;
        if (keyNode?.range) return this.at(keyNode.range[0]);
      }
      const range = (node as YamlNode | null | undefined)?.range;
      if (range) return this.at(range[0]);
      if (p.length === 0) return { line: 0, column: 0 };
      p = p.slice(0, -1);
      keyOf = undefined;
    }
  }

  private at(offset: number): { line: number; column: number } {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, column: lp.col };
  }

  error(path: Path, expected: string, got?: string, keyOf?: string): InputError {
    const { line, column } = this.position(path, keyOf);
    const full = keyOf !== undefined ? [...this.base, ...path, keyOf] : [...this.base, ...path];
    return new InputError(this.file, line, column, formatPath(full), expected, got);
  }

  /** Turns a FieldError raised while reading the value at `path` into an InputError there. */
  fieldError(path: Path, e: FieldError): InputError {
    const sub = parseRelativePath(e.path);
    const { line, column } = this.position([...path, ...sub]);
    return new InputError(this.file, line, column, formatPath([...this.base, ...path, ...sub]), e.expected, e.got);
  }

  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // The yaml library refuses documents whose aliases expand too far ("billion laughs").
      throw new InputError(this.file, 0, 0, '', `YAML whose aliases expand to at most ${MAX_ALIAS_COUNT} nodes`, String((e as Error).message));
    }
  }
}

/** Runs `fn`, turning a FieldError into an InputError located at `path` in `doc`. */
export function located<T>(doc: YamlDoc, path: Path, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FieldError) throw doc.fieldError(path, e);
    throw e;
  }
}

/** Splits "a.b[0].c" (a FieldError path) into keys and indexes. Keys may contain "/" and "-". */
export function parseRelativePath(p: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (let m = re.exec(p); m !== null; m = re.exec(p)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/** Reads and parses every document of a YAML/JSON file. `display` is how the file is named in errors. */
export function readYamlFile(path: string, display: string): YamlDoc[] {
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(display, 0, 0, '', 'a file, not a directory');
    if (st.size > MAX_FILE_BYTES) throw new InputError(display, 0, 0, '', `a file of at most ${MAX_FILE_BYTES} bytes`, `${st.size} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(display, 0, 0, '', 'a readable file', code === 'ENOENT' ? 'no such file' : String(code ?? e));
  }
  return parseYamlText(text, display);
}

export function parseYamlText(text: string, display: string): YamlDoc[] {
  if (text.includes('\u0000')) throw new InputError(display, 0, 0, '', 'a YAML or JSON text file', 'binary data');
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err !== undefined) {
      const lp = lines.linePos(err.pos[0]);
      const msg = err.message.split('\n')[0] ?? err.message;
      throw new InputError(display, lp.line, lp.col, '', 'valid YAML', `${err.code}: ${msg}`);
    }
  }
  return list.filter((d) => d.contents !== null).map((d) => new YamlDoc(display, d as Document.Parsed, lines));
}
