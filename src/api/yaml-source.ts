// A parsed YAML (or JSON) file that remembers where every value came from, so that any error
// can name the file, line and column of the offending field.
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, visit, type Alias, type CST, type Document, type Node as YamlNode } from 'yaml';
import { FieldError } from './field-error.js';
import { formatPath, InputError } from './input-error.js';
import { parseYamlFast, type TextSpan } from './yaml-fast.js';

export type Path = readonly (string | number)[];

/** Where a document read by a fast path came from (YamlDoc). */
interface FastSource {
  /** The whole file's text. */
  readonly text: string;
  readonly span: TextSpan;
  readonly value: unknown;
  /** Read with JSON.parse (one document, the whole text), else with the fast YAML reader. */
  readonly json: boolean;
  /** The items of a List document, when the reader found them. */
  readonly itemSpans: readonly TextSpan[] | null;
}

/** Largest YAML file ksim reads; bigger files are almost certainly a mistake (and a JS string
 * holds at most ~512 MiB). `ksim import` splits its snapshot to stay within it. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Alias expansions allowed while converting to JS (defends against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;
/** Deepest nesting of mappings and lists accepted. Kubernetes objects nest about 15 levels;
 * the limit keeps every recursive step after parsing (composing, toJS, validation) far from
 * the JavaScript stack's limit, so that a hostile file gets an error instead of a crash. */
export const MAX_NESTING_DEPTH = 100;
/** Longest value quoted back in an error message ("got ..."); longer ones are cut. */
const MAX_QUOTED = 120;

/** Cuts a value quoted in a message to MAX_QUOTED characters, saying how long it was. */
export function clipQuoted(s: string): string {
  return s.length <= MAX_QUOTED ? s : `${s.slice(0, MAX_QUOTED - 20)}… (${s.length} characters)`;
}

function clipPath(path: Path): Path {
  return path.map((k) => (typeof k === 'string' && k.length > MAX_QUOTED ? `${k.slice(0, MAX_QUOTED - 20)}…` : k));
}

export class YamlDoc {
  private parsed: Document.Parsed | null;
  /** Offset of the parsed Document's text in the file's text (a fast-read document that is
   * parsed on demand is parsed alone). */
  private parsedShift = 0;
  /** A document read by a fast path (JSON.parse, or the fast YAML reader): its value until
   * toJS() takes it. */
  private fastValue: unknown;
  /** Text spans of a List's `items`, so that a position inside one item parses only it. */
  private itemSpans: readonly TextSpan[] | null;
  private lineCounter: LineCounter | null;

  constructor(
    readonly file: string,
    doc: Document.Parsed | null,
    lines: LineCounter | null,
    /** Path prefix under which this document's values are reported. */
    readonly base: Path = [],
    /** A fast path's source: the file's text, the document's span in it and its value
     * (positions are found on demand, by parsing the document or List item concerned). */
    private readonly fast: FastSource | null = null,
  ) {
    this.parsed = doc;
    this.lineCounter = lines;
    this.fastValue = fast?.value;
    this.itemSpans = fast?.itemSpans ?? null;
  }

  /** The YAML document with positions (a document read fast is parsed on first use). */
  get doc(): Document.Parsed {
    if (this.parsed === null) {
      const f = this.fast as FastSource;
      const whole = f.span.start === 0 && f.span.end === f.text.length;
      const [d] = parseYamlDocuments(whole ? f.text : f.text.slice(f.span.start, f.span.end), this.file);
      this.parsed = (d as YamlDoc).doc;
      this.parsedShift = f.span.start;
      if (whole) this.lineCounter = (d as YamlDoc).lines;
    }
    return this.parsed;
  }

  private get lines(): LineCounter {
    if (this.lineCounter === null) {
      const text = (this.fast as FastSource).text;
      const lc = new LineCounter();
      lc.addNewLine(0);
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
      this.lineCounter = lc;
    }
    return this.lineCounter;
  }

  /** 1-based line/column of the value at `path` (or of its nearest existing ancestor). */
  position(path: Path, keyOf?: string): { line: number; column: number } {
    // Inside one item of a List read fast: parse only that item's text.
    let doc: Document | null = null;
    let shift = 0;
    let p = [...path];
    if (this.parsed === null && this.fast !== null && p[0] === 'items' && typeof p[1] === 'number') {
      const f = this.fast;
      this.itemSpans ??= f.json ? jsonItemSpans(f.text) : [];
      const span = this.itemSpans[p[1]];
      if (span !== undefined) {
        doc = parseDocument(f.text.slice(span.start, span.end), { keepSourceTokens: false });
        shift = span.start;
        // A YAML item's text is a one-item list ("- ..."); a JSON item's is the object itself.
        p = f.json ? p.slice(2) : [0, ...p.slice(2)];
      }
    }
    if (doc === null) {
      doc = this.doc;
      shift = this.parsedShift;
    }
    const d = doc;
    for (;;) {
      const node = p.length === 0 ? d.contents : d.getIn(p, true);
      if (keyOf !== undefined && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === keyOf);
        const keyNode = pair?.key as YamlNode | undefined;
        if (keyNode?.range) return this.at(keyNode.range[0] + shift);
      }
      const range = (node as YamlNode | null | undefined)?.range;
      if (range) return this.at(range[0] + shift);
      if (p.length === 0) return { line: 0, column: 0 };
      p = p.slice(0, -1);
      keyOf = undefined;
    }
  }

  private readFastAgain(): unknown {
    const f = this.fast as FastSource;
    if (f.json) return JSON.parse(f.text);
    return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  }

  private at(offset: number): { line: number; column: number } {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, column: lp.col };
  }

  /** "file:line (items[3])" ("line 4 (items[3])" when `from` is this file too): where the object
   * at `path` is named, as a duplicate's error names the first copy. */
  place(path: Path, from?: YamlDoc): string {
    const line = this.position([...path, 'metadata', 'name']).line;
    return `${from?.file === this.file ? 'line ' : `${this.file}:`}${line}${path.length > 0 ? ` (${formatPath(path)})` : ''}`;
  }

  error(path: Path, expected: string, got?: string, keyOf?: string): InputError {
    const { line, column } = this.position(path, keyOf);
    const full = keyOf !== undefined ? [...this.base, ...path, keyOf] : [...this.base, ...path];
    return new InputError(this.file, line, column, formatPath(clipPath(full)), expected, got === undefined ? undefined : clipQuoted(got));
  }

  /** An error whose `why` explains a refusal (an admission message) rather than quoting a value
   * back: never cut, since its end often names the cause (a LimitRange default, a quota). */
  refused(path: Path, expected: string, why: string): InputError {
    const { line, column } = this.position(path);
    return new InputError(this.file, line, column, formatPath(clipPath([...this.base, ...path])), expected, why);
  }

  /** Turns a FieldError raised while reading the value at `path` into an InputError there. */
  fieldError(path: Path, e: FieldError): InputError {
    const sub = parseRelativePath(e.path);
    const { line, column } = this.position([...path, ...sub]);
    return new InputError(this.file, line, column, formatPath(clipPath([...this.base, ...path, ...sub])), e.expected, e.got === undefined ? undefined : clipQuoted(e.got));
  }

  /** "file:line:col: path: message", for warnings about the field `keyOf` of the value at `path`. */
  warning(path: Path, message: string, keyOf?: string): string {
    const { line, column } = this.position(path, keyOf);
    const where = line > 0 ? `${this.file}:${line}:${column}` : this.file;
    const field = formatPath(clipPath([...this.base, ...path]));
    return `${where}: ${field === '' ? '' : `${field}: `}${message}`;
  }

  toJS(): unknown {
    // A document read fast and not changed since (--set changes the parsed Document): the value
    // read is handed out once; a second call gets a fresh copy.
    if (this.fast !== null && this.parsed === null) {
      const v = this.fastValue === undefined ? this.readFastAgain() : this.fastValue;
      this.fastValue = undefined;
      return v;
    }
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // The yaml library refuses an alias without an anchor before it, and documents whose
      // aliases expand too far ("billion laughs"). Point at the first unresolved alias, or at
      // the first alias.
      let first: Alias | null = null;
      let unresolved: Alias | null = null;
      visit(this.doc, {
        Alias: (_k, n) => {
          first ??= n;
          if (n.resolve(this.doc) === undefined) {
            unresolved = n;
            return visit.BREAK;
          }
          return undefined;
        },
      });
      const at = (n: Alias | null) => (n?.range ? this.at(n.range[0]) : { line: 0, column: 0 });
      const u = unresolved as Alias | null;
      const where = (n: Alias | null) => formatPath(clipPath([...this.base, ...(n?.range ? pathAt(this.doc, n.range[0]) : [])]));
      if (u !== null) {
        const { line, column } = at(u);
        throw new InputError(this.file, line, column, where(u), 'an alias to an anchor defined before it', clipQuoted(`*${u.source}`));
      }
      const { line, column } = at(first);
      throw new InputError(this.file, line, column, where(first), `YAML whose aliases expand to at most ${MAX_ALIAS_COUNT} nodes`, clipQuoted(String((e as Error).message)));
    }
  }
}

/** The field path of the innermost value (or key) of `doc` that contains `offset`. */
export function pathAt(doc: Document, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  const inside = (n: unknown) => {
    const r = (n as YamlNode | null)?.range;
    return r !== undefined && r !== null && offset >= r[0] && offset < Math.max(r[1], r[0] + 1);
  };
  let node: unknown = doc.contents;
  for (;;) {
    let next: unknown = undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        // A pair spans its key, its value's properties (tag, anchor) and its value.
        const kr = (pair.key as YamlNode | null)?.range;
        const vr = (pair.value as YamlNode | null)?.range;
        const start = kr?.[0] ?? vr?.[0];
        const end = vr ? Math.max(vr[1], vr[0] + 1) : kr?.[1];
        if (start === undefined || end === undefined || offset < start || offset >= end) continue;
        path.push(isScalar(pair.key) ? String(pair.key.value) : '?');
        if (inside(pair.value)) next = pair.value;
        else return path;
        break;
      }
    } else if (isSeq(node)) {
      const i = node.items.findIndex(inside);
      if (i >= 0) {
        path.push(i);
        next = node.items[i];
      }
    }
    if (next === undefined) return path;
    node = next;
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
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(display, 0, 0, '', 'a file, not a directory');
    if (st.size > MAX_FILE_BYTES) throw new InputError(display, 0, 0, '', tooLarge(MAX_FILE_BYTES), `${st.size} bytes (${mib(st.size)} MiB)`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(display, 0, 0, '', 'a readable file', code === 'ENOENT' ? 'no such file' : String(code ?? e));
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    // What Windows PowerShell's `>` writes.
    throw new InputError(display, 0, 0, '', 'a YAML or JSON text file in UTF-8', 'UTF-16 text (save the file as UTF-8)');
  }
  if (bytes.includes(0)) throw new InputError(display, 0, 0, '', 'a YAML or JSON text file', 'binary data');
  // Checked natively, then decoded without the fatal TextDecoder's second pass; the BOM is
  // dropped as TextDecoder drops it.
  let text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    // Locate the first malformed sequence: it is where the lenient decoding first yields U+FFFD.
    const at = text.indexOf('\uFFFD');
    const { line, column } = lineAndColumn(text, at < 0 ? 0 : at);
    throw new InputError(display, line, column, '', 'a YAML or JSON text file in UTF-8', 'bytes that are not UTF-8 (binary data?)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseYamlText(text, display);
}

const mib = (bytes: number) => (bytes % 1048576 === 0 ? String(bytes / 1048576) : (bytes / 1048576).toFixed(1));

/** What a file over the limit should be instead: a folder takes any number of files. */
function tooLarge(limit: number): string {
  return `a file of at most ${mib(limit)} MiB (split it into several files in a folder and pass the folder: a cluster dump as one \`kubectl get KIND -A -o json\` per kind or per namespace)`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Parses `text`, a file's or (`unit` "line") one line's of a JSON Lines file: a JSON syntax
 * error then names the end of the line, not of the file, as where the text stopped. */
export function parseYamlText(text: string, display: string, unit: TextUnit = 'file'): YamlDoc[] {
  if (text.includes('\u0000')) throw new InputError(display, 0, 0, '', 'a YAML or JSON text file', 'binary data');
  // The fast path (kubectl -o json dumps): a .json file holding one object or array that is
  // valid JSON, nested at most MAX_NESTING_DEPTH levels, without a repeated key, is read with
  // JSON.parse; positions for messages are found only when one is needed. Anything else takes
  // the YAML path, which gives the messages.
  if (/\.json$/i.test(display)) {
    let value: unknown;
    try {
      value = JSON.parse(text); // strict RFC 8259: what it accepts has no syntax error
    } catch {
      value = undefined;
    }
    if (value !== undefined && jsonFastPathApplies(text, value)) {
      return [new YamlDoc(display, null, null, [], { text, value, span: { start: 0, end: text.length }, json: true, itemSpans: null })];
    }
    return parseYamlDocuments(text, display, unit);
  }
  // The fast path for YAML (kubectl -o yaml dumps, Helm output): the fast reader's subset is
  // read without positions; anything outside it takes the full parser.
  const fast = parseYamlFast(text, MAX_NESTING_DEPTH);
  if (fast !== null) return fast.map((d) => new YamlDoc(display, null, null, [], { text, value: d.value, span: d.span, json: false, itemSpans: d.itemSpans }));
  return parseYamlDocuments(text, display);
}

/** What a text parsed is: a whole file, or one line of a JSON Lines file. */
export type TextUnit = 'file' | 'line';

function parseYamlDocuments(text: string, display: string, unit: TextUnit = 'file'): YamlDoc[] {
  // kubectl reads a .json file with a JSON decoder: YAML's leniencies (trailing commas,
  // comments, unquoted strings) are errors there.
  if (/\.json$/i.test(display)) {
    const bad = jsonSyntaxError(text, unit);
    if (bad !== null) {
      const { line, column } = lineAndColumn(text, bad.offset);
      throw new InputError(display, line, column, '', `valid JSON (${bad.expected})`, bad.got);
    }
  }
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  checkNesting(tokens, lines, display);
  // The YAML 1.2 core schema only, as JSON and Kubernetes know it: no !!binary, !!set, !!omap
  // or !!timestamp values (a %YAML 1.1 directive does not bring them back either).
  const composer = new Composer({ uniqueKeys: true, prettyErrors: false, schema: 'core', resolveKnownTags: false });
  const list = Array.from(composer.compose(tokens));
  for (const d of list) {
    const err = d.errors[0] ?? d.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (err !== undefined) {
      const lp = lines.linePos(err.pos[0]);
      const msg = err.message.split('\n')[0] ?? err.message;
      // Where the document's structure is sound (a duplicate key, an unknown tag), name the field.
      const path = () => formatPath(clipPath(pathAt(d, err.pos[0])));
      if (err.code === 'DUPLICATE_KEY') {
        const p = pathAt(d, err.pos[0]);
        throw new InputError(display, lp.line, lp.col, path(), 'each field at most once in a mapping', clipQuoted(`${JSON.stringify(String(p[p.length - 1] ?? ''))} again`));
      }
      if (err.code === 'TAG_RESOLVE_FAILED') {
        const tag = msg.replace(/^Unresolved tag: /, '').replace(/^tag:yaml\.org,2002:/, '!!');
        throw new InputError(display, lp.line, lp.col, path(), 'no YAML tag, or a tag of JSON\'s types (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq)', clipQuoted(tag));
      }
      throw new InputError(display, lp.line, lp.col, '', 'valid YAML', `${err.code}: ${clipQuoted(msg)}`);
    }
    // A mapping key must be a scalar: JSON and Kubernetes objects have string keys only.
    visit(d, {
      Pair: (_k, pair) => {
        const key = pair.key as YamlNode | null;
        if (key !== null && !isScalar(key)) {
          const lp = lines.linePos(key.range?.[0] ?? 0);
          throw new InputError(display, lp.line, lp.col, formatPath(clipPath(pathAt(d, key.range?.[0] ?? 0).slice(0, -1))), 'a mapping key that is a plain value (a string)', isAlias(key) ? 'an alias' : isMap(key) ? 'a mapping' : 'a list');
        }
      },
    });
  }
  return list.filter((d) => d.contents !== null).map((d) => new YamlDoc(display, d as Document.Parsed, lines));
}

/** Rejects mappings and lists nested deeper than MAX_NESTING_DEPTH, walking the parser's
 * tokens without recursion (the composer recurses once per level). */
function checkNesting(tokens: readonly CST.Token[], lines: LineCounter, display: string): void {
  interface Entry {
    readonly token: CST.Token;
    readonly depth: number;
    readonly parent: Entry | null;
    readonly key: string | number | null;
  }
  const stack: Entry[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) stack.push({ token: tokens[i] as CST.Token, depth: 0, parent: null, key: null });
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    const t = e.token;
    if (t.type === 'document') {
      if (t.value !== undefined) stack.push({ token: t.value, depth: 0, parent: null, key: null });
      continue;
    }
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    const depth = e.depth + 1;
    if (depth > MAX_NESTING_DEPTH) {
      const path: (string | number)[] = [];
      for (let p: Entry | null = e; p !== null; p = p.parent) if (p.key !== null) path.unshift(p.key);
      const shown = path.length > 8 ? [...path.slice(0, 8), '…'] : path;
      const lp = lines.linePos(t.offset);
      throw new InputError(display, lp.line, lp.col, formatPath(clipPath(shown)), `mappings and lists nested at most ${MAX_NESTING_DEPTH} levels deep`, 'deeper nesting');
    }
    const isSeq = t.type === 'block-seq' || (t.type === 'flow-collection' && t.start.source === '[');
    for (let j = t.items.length - 1; j >= 0; j--) {
      const it = t.items[j] as CST.CollectionItem;
      const key = isSeq ? j : keyText(it.key);
      if (it.value !== undefined) stack.push({ token: it.value, depth, parent: e, key });
      if (it.key !== undefined && it.key !== null) stack.push({ token: it.key, depth, parent: e, key });
    }
  }
}

function keyText(k: CST.Token | null | undefined): string {
  if (k === null || k === undefined) return '';
  if (k.type === 'scalar' || k.type === 'single-quoted-scalar' || k.type === 'double-quoted-scalar') {
    return k.source.replace(/^["']|["']$/g, '');
  }
  return '?';
}

/** The first JSON syntax error of `text` (RFC 8259: one value, no trailing commas, no comments),
 * or null. Iterative, so any nesting depth is safe. */
function jsonSyntaxError(text: string, unit: TextUnit): { offset: number; expected: string; got: string } | null {
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const end = `the end of the ${unit}`;
  const gotAt = (at: number) => (at >= n ? end : JSON.stringify(String.fromCodePoint(text.codePointAt(at) as number)));
  const fail = (at: number, expected: string) => ({ offset: at, expected, got: gotAt(at) });
  // Containers still open: '{' or '['.
  const open: number[] = [];
  if (n > 0 && text.charCodeAt(0) === 0xfeff) i = 1;
  ws();
  for (;;) {
    // Expect a value at i.
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      open.push(c);
      i++;
      ws();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (text.charCodeAt(i) === close) {
        open.pop();
        i++;
      } else if (c === 0x7b) {
        const err = scanKey();
        if (err !== null) return err;
        continue;
      } else {
        continue;
      }
    } else if (c === 0x22 /* " */) {
      const err = scanString();
      if (err !== null) return err;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      const r = m.exec(text);
      if (r === null) return fail(i, 'a number');
      i += r[0].length;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return fail(i, 'a value: an object, array, string, number, true, false or null');
    // After a value: close containers or continue with the next element.
    for (;;) {
      ws();
      const top = open[open.length - 1];
      if (top === undefined) {
        return i >= n ? null : fail(i, `${end} after the top-level value`);
      }
      const d = text.charCodeAt(i);
      const close = top === 0x7b ? 0x7d : 0x5d;
      if (d === close) {
        open.pop();
        i++;
        continue;
      }
      if (d !== 0x2c /* , */) return fail(i, top === 0x7b ? '"," or "}" after an object member' : '"," or "]" after an array element');
      i++;
      ws();
      if (top === 0x7b) {
        if (text.charCodeAt(i) !== 0x22) return fail(i, 'a quoted member name after ","');
        const err = scanKey();
        if (err !== null) return err;
      } else if (text.charCodeAt(i) === 0x5d) {
        return fail(i, 'a value after ","');
      }
      break;
    }
  }

  function scanKey(): { offset: number; expected: string; got: string } | null {
    if (text.charCodeAt(i) !== 0x22) return fail(i, 'a quoted member name');
    const err = scanString();
    if (err !== null) return err;
    ws();
    if (text.charCodeAt(i) !== 0x3a /* : */) return fail(i, '":" after a member name');
    i++;
    ws();
    return null;
  }

  function scanString(): { offset: number; expected: string; got: string } | null {
    i++; // opening quote
    for (;;) {
      if (i >= n) return fail(i, 'a closing quote');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail(i, 'no control characters inside a string (escape them)');
      if (c === 0x5c /* \ */) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i, 'an escape \\uXXXX with four hex digits');
          i += 6;
        } else if ('"\\/bfnrt'.includes(String.fromCharCode(e)) && i + 1 < n) {
          i += 2;
        } else {
          return fail(i, 'a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
        }
        continue;
      }
      i++;
    }
  }
}

/** True when a JSON text (already free of syntax errors) and JSON.parse's `value` of it hold an
 * object or array that nests at most MAX_NESTING_DEPTH levels and repeats no key within an
 * object: what JSON.parse and the YAML path read alike. JSON.parse keeps the last of repeated
 * keys silently, so the key/value pairs in the text (each has one ":" outside strings) are
 * counted against the keys the parsed objects kept: equal exactly when no key repeats. */
function jsonFastPathApplies(text: string, value: unknown): boolean {
  if (text.length > 0 && text.charCodeAt(0) === 0xfeff) return false;
  if (typeof value !== 'object' || value === null) return false;
  const kept = keysKept(value, 1);
  return kept >= 0 && kept === pairsInJsonText(text);
}

/** The own keys of every object in a parsed JSON value, or -1 when it nests deeper than
 * MAX_NESTING_DEPTH (`depth` is the level of `v`). */
function keysKept(v: object, depth: number): number {
  if (depth > MAX_NESTING_DEPTH) return -1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x !== 'object' || x === null) continue;
      const k = keysKept(x, depth + 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key in v) {
    n++;
    const x: unknown = (v as Record<string, unknown>)[key];
    if (typeof x !== 'object' || x === null) continue;
    const k = keysKept(x, depth + 1);
    if (k < 0) return -1;
    n += k;
  }
  return n;
}

/** The ":" outside strings of a valid JSON text: one per key/value pair. Scans with indexOf
 * (native) from string to string; each ":" is found once. */
function pairsInJsonText(text: string): number {
  let n = 0;
  let i = 0;
  let colon = text.indexOf(':');
  for (;;) {
    const q = text.indexOf('"', i);
    const end = q < 0 ? text.length : q;
    while (colon >= 0 && colon < end) {
      n++;
      colon = text.indexOf(':', colon + 1);
    }
    if (q < 0) return n;
    // The closing quote: the next one not escaped (preceded by an even run of backslashes).
    let j = q + 1;
    for (;;) {
      j = text.indexOf('"', j);
      let b = j - 1;
      while (text.charCodeAt(b) === 0x5c) b--;
      if ((j - 1 - b) % 2 === 0) break;
      j++;
    }
    i = j + 1;
    // Colons inside the string are not pairs.
    if (colon >= 0 && colon < i) colon = text.indexOf(':', i);
  }
}

/** The text spans of the elements of a JSON object's top-level "items" array (a List), or none. */
function jsonItemSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let depth = 0;
  let inItems = false;
  let itemStart = -1;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (depth === 1) lastKey = text.slice(start + 1, i);
      if (inItems && depth === 2 && itemStart < 0) itemStart = start;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth === 1 && c === 0x5b && lastKey === 'items') inItems = true;
      else if (inItems && depth === 2 && itemStart < 0) itemStart = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (inItems && depth === 2 && itemStart >= 0) {
        spans.push({ start: itemStart, end: i + 1 });
        itemStart = -1;
      } else if (inItems && depth === 1) {
        if (itemStart >= 0) spans.push({ start: itemStart, end: i });
        return spans;
      }
    } else if (inItems && depth === 2) {
      if (c === 0x2c) {
        if (itemStart >= 0) spans.push({ start: itemStart, end: i });
        itemStart = -1;
      } else if (itemStart < 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        itemStart = i;
      }
    }
  }
  return spans;
}
