// A fast reader for the block-style YAML that kubectl (`get -o yaml`), Helm, kustomize and most
// tools write: block mappings and lists, plain and quoted one-line scalars, `|` literal blocks,
// empty `{}` / `[]`, comments and `---` between documents. It reads such files 20–50 times faster
// than the full YAML parser and gives exactly the values the full parser gives with ksim's options
// (YAML 1.2 core schema, src/api/yaml-source.ts). Anything else — anchors, aliases, tags, flow
// collections with content, multi-line plain or quoted scalars, folded (`>`) and indented blocks,
// tabs, CR line ends, directives, duplicate keys, keys that are not strings, deep nesting — makes it
// give up (null), and the caller reads the file with the full parser, which also gives every error
// message. It never reports an error itself, and finds no positions: the caller finds those only
// when a message needs one, by parsing the one document (or List item) concerned.

export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export interface FastYamlDoc {
  readonly value: unknown;
  /** The document's text: [start, end) offsets into the file's text. */
  readonly span: TextSpan;
  /** When the document is a mapping whose `items` is a block list (a kubectl List): each
   * item's text, from its "-" line to the next item's (or the list's end). */
  readonly itemSpans: readonly TextSpan[] | null;
}

/** Thrown inside the reader to give up; caught by parseYamlFast. */
const GIVE_UP = new Error('not in the fast YAML subset');

/** Control characters (tab and CR included): their rules differ between YAML contexts. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;

// The YAML 1.2 core schema's resolution of plain scalars, as the yaml library applies it
// (yaml/dist/schema/core/{bool,int,float}.js, common/null.js), in the same order.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The value of a plain scalar under the core schema. */
export function resolvePlain(s: string): unknown {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  // Only these first characters can start a null, a boolean or a number.
  if (c === 0x7e /* ~ */ || c === 0x6e /* n */ || c === 0x4e /* N */) return NULL.test(s) ? null : s;
  if (c === 0x74 /* t */ || c === 0x54 /* T */ || c === 0x66 /* f */ || c === 0x46 /* F */) {
    return BOOL.test(s) ? s.charCodeAt(0) === 0x74 || s.charCodeAt(0) === 0x54 : s;
  }
  if ((c >= 0x30 && c <= 0x39) || c === 0x2b /* + */ || c === 0x2d /* - */ || c === 0x2e /* . */) {
    if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
    if (INT.test(s)) return parseInt(s, 10);
    if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
    if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  }
  return s;
}

/** The offset of the first " #" (a comment's start) in text[from, to), or -1. */
function commentStart(text: string, from: number, to: number): number {
  for (let i = from + 1; i < to; i++) if (text.charCodeAt(i) === 0x23 && text.charCodeAt(i - 1) === 0x20) return i - 1;
  return -1;
}

/** Characters a plain scalar (or plain key) may not start with in block context (YAML's
 * c-indicators); "-", "?" and ":" are allowed when followed by a non-space, but give up. */
function isIndicator(c: number): boolean {
  switch (c) {
    case 0x2d: case 0x3f: case 0x3a: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: // - ? : , [ ] { }
    case 0x23: case 0x26: case 0x2a: case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: // # & * ! | > ' "
    case 0x25: case 0x40: case 0x60: // % @ `
      return true;
    default:
      return false;
  }
}

/**
 * Reads `text` as a stream of YAML documents in the fast subset; null when any part of it is
 * outside the subset (then nothing is known about the file: read it with the full parser).
 * The documents are those the full reader gives: one per "---" (null when nothing follows it),
 * and the text before the first marker when it has content.
 * `maxDepth`: nesting deeper than this gives up (the full reader then refuses or accepts it).
 */
export function parseYamlFast(text: string, maxDepth: number): FastYamlDoc[] | null {
  if (CONTROL.test(text)) return null;
  try {
    return new FastReader(text, maxDepth).documents();
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

class FastReader {
  /** The current line: its start, end (the "\n" or the text's end), indentation and the
   * offset of its first non-space character. `ls` is -1 at the end of the text. */
  private ls = 0;
  private le = 0;
  private ind = 0;
  private cs = 0;
  /** The current line is a document marker ("---") or the end of the text. */
  private atBoundary = false;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  documents(): FastYamlDoc[] {
    // As the full reader: every "---" starts a document (null when nothing follows it); the
    // text before the first marker is a document only when it has content.
    const docs: FastYamlDoc[] = [];
    const text = this.text;
    this.seek(0);
    if (this.ls >= 0 && !this.atBoundary) docs.push(this.document(this.ls));
    while (this.ls >= 0) {
      // At a "---" line.
      const start = Math.min(this.le + 1, text.length);
      this.seek(this.le + 1);
      if (this.atBoundary) docs.push({ value: null, span: { start, end: this.ls < 0 ? text.length : this.ls }, itemSpans: null });
      else docs.push(this.document(start));
    }
    return docs;
  }

  /** The document whose content starts at the current line; its text starts at `start`. */
  private document(start: number): FastYamlDoc {
    let itemSpans: TextSpan[] | null = null;
    const value = this.block(1, (spans) => (itemSpans = spans));
    if (this.ls >= 0 && !this.atBoundary) throw GIVE_UP; // content outside the root node
    return { value, span: { start, end: this.ls < 0 ? this.text.length : this.ls }, itemSpans };
  }

  /** Moves to the first significant line at or after `offset` (skipping blank lines and
   * comment lines), classifying it. */
  private seek(offset: number): void {
    const text = this.text;
    let p = offset;
    while (p < text.length) {
      let e = text.indexOf('\n', p);
      if (e < 0) e = text.length;
      let c = p;
      while (c < e && text.charCodeAt(c) === 0x20) c++;
      if (c === e || text.charCodeAt(c) === 0x23 /* # */) {
        p = e + 1;
        continue;
      }
      this.ls = p;
      this.le = e;
      this.ind = c - p;
      this.cs = c;
      this.atBoundary = false;
      if (c === p) {
        const ch = text.charCodeAt(p);
        if (ch === 0x25 /* % directive */) throw GIVE_UP;
        if ((ch === 0x2d || ch === 0x2e) && text.startsWith(ch === 0x2d ? '---' : '...', p)) {
          // "---" alone (or with a comment) separates documents; "...", or "---" with content
          // on its line, is outside the subset.
          if (ch === 0x2e) throw GIVE_UP;
          const rest = p + 3;
          if (rest === e) {
            this.atBoundary = true;
          } else {
            const r = text.charCodeAt(rest);
            if (r !== 0x20) {
              // "----x" is a plain scalar, not a marker: outside the subset too.
              throw GIVE_UP;
            }
            let q = rest;
            while (q < e && text.charCodeAt(q) === 0x20) q++;
            if (q < e && text.charCodeAt(q) !== 0x23) throw GIVE_UP;
            this.atBoundary = true;
          }
        }
      }
      return;
    }
    this.ls = -1;
    this.le = text.length;
    this.ind = -1;
    this.cs = text.length;
    this.atBoundary = true;
  }

  /** Moves past the current line. */
  private advance(): void {
    this.seek(this.le + 1);
  }

  /** Whether the current line is a list item ("-" then a space or the line's end). */
  private isItem(): boolean {
    if (this.text.charCodeAt(this.cs) !== 0x2d) return false;
    const n = this.cs + 1;
    return n === this.le || this.text.charCodeAt(n) === 0x20;
  }

  /** A mapping or list starting at the current line, at its indentation. */
  private block(depth: number, onItems?: (spans: TextSpan[]) => void): unknown {
    if (depth > this.maxDepth) throw GIVE_UP;
    if (this.isItem()) return this.list(this.ind, depth, null);
    return this.mapping(this.ind, this.cs, depth, onItems);
  }

  /** A block list whose "-" lines are indented `indent`; `spans` receives each item's text. */
  private list(indent: number, depth: number, spans: TextSpan[] | null): unknown[] {
    if (depth > this.maxDepth) throw GIVE_UP;
    const text = this.text;
    const out: unknown[] = [];
    let itemStart = -1;
    while (this.ls >= 0 && !this.atBoundary && this.ind === indent && this.isItem()) {
      if (spans !== null) {
        if (itemStart >= 0) spans.push({ start: itemStart, end: this.ls });
        itemStart = this.ls;
      }
      let q = this.cs + 1;
      while (q < this.le && text.charCodeAt(q) === 0x20) q++;
      if (q === this.le || text.charCodeAt(q) === 0x23) {
        // "-" alone: the item is the block below it, or null.
        this.advance();
        out.push(this.ls >= 0 && !this.atBoundary && this.ind > indent ? this.block(depth + 1) : null);
      } else if (text.charCodeAt(q) === 0x2d && (q + 1 === this.le || text.charCodeAt(q + 1) === 0x20)) {
        throw GIVE_UP; // "- - x": a list in a list on one line
      } else if (this.keyEnd(q) >= 0) {
        // "- key: value": a mapping whose keys line up with this first one.
        out.push(this.mapping(q - this.ls, q, depth + 1));
      } else {
        out.push(this.inlineValue(q));
        this.advance();
        if (this.ls >= 0 && !this.atBoundary && this.ind > indent) throw GIVE_UP; // a continued scalar
      }
      if (this.ls >= 0 && !this.atBoundary && this.ind > indent) throw GIVE_UP;
    }
    if (spans !== null && itemStart >= 0) spans.push({ start: itemStart, end: this.ls < 0 ? text.length : this.ls });
    return out;
  }

  /**
   * A block mapping whose keys are at column `indent`; its first key starts at `first` (on the
   * current line: the line's content, or what follows "- " in a list item).
   */
  private mapping(indent: number, first: number, depth: number, onItems?: (spans: TextSpan[]) => void): Record<string, unknown> {
    if (depth > this.maxDepth) throw GIVE_UP;
    const text = this.text;
    const out: Record<string, unknown> = {};
    let k = first;
    for (;;) {
      const colon = this.keyEnd(k);
      if (colon < 0) throw GIVE_UP; // a scalar where a key belongs
      const key = this.keyText(k, colon);
      if (key === '__proto__' || Object.hasOwn(out, key)) throw GIVE_UP; // the full reader's message
      let v = colon + 1;
      while (v < this.le && text.charCodeAt(v) === 0x20) v++;
      let value: unknown;
      if (v === this.le || text.charCodeAt(v) === 0x23) {
        // Nothing after the colon: the value is the block below, a list at the key's own
        // indentation (kubectl writes lists so), or null.
        this.advance();
        // A List's items (the root's `items`, a list): their spans go to onItems.
        const spans: TextSpan[] | null = onItems !== undefined && depth === 1 && key === 'items' ? [] : null;
        if (this.ls < 0 || this.atBoundary) value = null;
        else if (this.isItem() && this.ind >= indent) value = this.list(this.ind, depth + 1, spans);
        else if (this.ind > indent) value = this.block(depth + 1);
        else value = null;
        if (spans !== null && Array.isArray(value)) onItems?.(spans);
      } else if (text.charCodeAt(v) === 0x7c /* | */) {
        value = this.literalBlock(v, indent);
      } else {
        value = this.inlineValue(v);
        this.advance();
        if (this.ls >= 0 && !this.atBoundary && this.ind > indent) throw GIVE_UP; // a continued scalar
      }
      out[key] = value;
      if (this.ls < 0 || this.atBoundary || this.ind < indent) return out;
      if (this.ind > indent || this.isItem()) throw GIVE_UP;
      k = this.cs;
    }
  }

  /** Where the key starting at `k` on the current line ends: the offset of its ":" (followed by
   * a space or the line's end), or -1 when the line holds no key there. */
  private keyEnd(k: number): number {
    const text = this.text;
    const le = this.le;
    const c = text.charCodeAt(k);
    if (c === 0x22 || c === 0x27) {
      const close = c === 0x22 ? this.doubleQuotedEnd(k) : this.singleQuotedEnd(k);
      const colon = close + 1;
      if (colon < le && text.charCodeAt(colon) === 0x3a && (colon + 1 === le || text.charCodeAt(colon + 1) === 0x20)) return colon - k > 1024 ? -1 : colon;
      return -1;
    }
    for (let i = text.indexOf(':', k); i >= 0 && i < le; i = text.indexOf(':', i + 1)) {
      if (i + 1 === le || text.charCodeAt(i + 1) === 0x20) {
        // " #" before the colon starts a comment: then this is no key. YAML limits implicit
        // keys to 1024 characters.
        const hash = commentStart(text, k, i);
        return hash >= 0 || i - k > 1024 ? -1 : i;
      }
    }
    return -1;
  }

  /** The key text from `k` to its colon. */
  private keyText(k: number, colon: number): string {
    const text = this.text;
    const c = text.charCodeAt(k);
    if (c === 0x22) return this.doubleQuoted(k, this.doubleQuotedEnd(k));
    if (c === 0x27) return this.singleQuoted(k, this.singleQuotedEnd(k));
    if (isIndicator(c) || text.charCodeAt(colon - 1) === 0x20) throw GIVE_UP;
    const key = text.slice(k, colon);
    if (key === '<<' || typeof resolvePlain(key) !== 'string') throw GIVE_UP; // a key that is not a string
    return key;
  }

  /** A scalar, `{}` or `[]` from `v` to the end of the current line (a comment may follow). */
  private inlineValue(v: number): unknown {
    const text = this.text;
    const le = this.le;
    const c = text.charCodeAt(v);
    let end: number;
    let value: unknown;
    if (c === 0x22) {
      end = this.doubleQuotedEnd(v) + 1;
      value = this.doubleQuoted(v, end - 1);
    } else if (c === 0x27) {
      end = this.singleQuotedEnd(v) + 1;
      value = this.singleQuoted(v, end - 1);
    } else if (c === 0x7b || c === 0x5b) {
      // Only the empty flow collections.
      if (text.charCodeAt(v + 1) !== (c === 0x7b ? 0x7d : 0x5d)) throw GIVE_UP;
      end = v + 2;
      value = c === 0x7b ? {} : [];
    } else {
      if (isIndicator(c)) {
        // "-", "?" and ":" start plain scalars when a non-space follows ("-1", "-x"); the rest never do.
        if (!(c === 0x2d || c === 0x3f || c === 0x3a)) throw GIVE_UP;
        const n = v + 1;
        if (n === le || text.charCodeAt(n) === 0x20) throw GIVE_UP;
        if (c !== 0x2d) throw GIVE_UP;
      }
      // A plain scalar: to the line's end or a " #" comment, trailing spaces dropped.
      let e = le;
      const hash = commentStart(text, v, le);
      if (hash >= 0) e = hash;
      while (e > v && text.charCodeAt(e - 1) === 0x20) e--;
      const s = text.slice(v, e);
      // ": " inside, or a ":" at its end, would make it a mapping: outside the subset.
      if (s.includes(': ') || s.charCodeAt(s.length - 1) === 0x3a) throw GIVE_UP;
      return resolvePlain(s);
    }
    // After a quoted or flow value: only spaces, or spaces and a comment.
    let r = end;
    while (r < le && text.charCodeAt(r) === 0x20) r++;
    if (r < le && !(text.charCodeAt(r) === 0x23 && r > end)) throw GIVE_UP;
    return value;
  }

  /** The offset of the closing quote of the double-quoted scalar opening at `q` (same line). */
  private doubleQuotedEnd(q: number): number {
    const text = this.text;
    for (let i = q + 1; i < this.le; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i++;
      else if (c === 0x22) return i;
    }
    throw GIVE_UP; // continues on the next line
  }

  private doubleQuoted(q: number, close: number): string {
    const raw = this.text.slice(q, close + 1);
    if (!raw.includes('\\')) return raw.slice(1, -1);
    // JSON's escapes mean the same in YAML; YAML's own (\x, \e, \N, ...) are refused by JSON.parse.
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw GIVE_UP;
    }
  }

  /** The offset of the closing quote of the single-quoted scalar opening at `q` (same line). */
  private singleQuotedEnd(q: number): number {
    const text = this.text;
    for (let i = q + 1; i < this.le; i++) {
      if (text.charCodeAt(i) === 0x27) {
        if (text.charCodeAt(i + 1) === 0x27 && i + 1 < this.le) {
          i++;
          continue;
        }
        return i;
      }
    }
    throw GIVE_UP;
  }

  private singleQuoted(q: number, close: number): string {
    const s = this.text.slice(q + 1, close);
    return s.includes("''") ? s.replaceAll("''", "'") : s;
  }

  /**
   * A literal block scalar ("|", "|-" or "|+") whose header starts at `v`, the value of a key
   * of the mapping at `indent`: its lines, less their common indentation. Leaves the reader on
   * the line after the block.
   */
  private literalBlock(v: number, indent: number): string {
    const text = this.text;
    let h = v + 1;
    let chomp = 0; // 0 clip, -1 strip, 1 keep
    const hc = text.charCodeAt(h);
    if (hc === 0x2d) {
      chomp = -1;
      h++;
    } else if (hc === 0x2b) {
      chomp = 1;
      h++;
    }
    while (h < this.le && text.charCodeAt(h) === 0x20) h++;
    if (h < this.le && !(text.charCodeAt(h) === 0x23 && text.charCodeAt(h - 1) === 0x20)) throw GIVE_UP; // an indentation indicator, or more
    if (chomp === 1) throw GIVE_UP;
    // The content: lines more indented than the mapping; the first non-blank one sets the
    // block's indentation.
    let p = this.le + 1;
    if (p > text.length) throw GIVE_UP;
    let n = -1;
    const lines: string[] = [];
    let lastContent = -1; // index in lines of the last non-blank line
    let blockEnd = p;
    while (p < text.length) {
      let e = text.indexOf('\n', p);
      if (e < 0) throw GIVE_UP; // a block running to the text's end without a line break
      let c = p;
      while (c < e && text.charCodeAt(c) === 0x20) c++;
      const spaces = c - p;
      if (c === e) {
        // A blank line: part of the block unless the block has ended; spaces beyond the
        // block's indentation would be content.
        if (n >= 0 && spaces > n) throw GIVE_UP;
        if (n < 0 && spaces > indent + 1) throw GIVE_UP; // leading blank lines decide nothing safely
        lines.push('');
        p = e + 1;
        continue;
      }
      if (n < 0) {
        if (spaces <= indent) break; // an empty block
        n = spaces;
      }
      if (spaces < n) break;
      lines.push(text.slice(p + n, e));
      lastContent = lines.length - 1;
      p = e + 1;
      blockEnd = p;
    }
    if (lastContent < 0) throw GIVE_UP; // an empty block: rare, left to the full reader
    const body = lines.slice(0, lastContent + 1).join('\n');
    this.seek(blockEnd);
    if (this.ls >= 0 && !this.atBoundary && this.ind > indent) throw GIVE_UP;
    return chomp === -1 ? body : `${body}\n`;
  }
}
