// A trace file read in chunks, synchronously (the simulation engine is synchronous: a trace is
// read from inside simulation events). Plain files are read CHUNK_BYTES at a time with
// fs.readSync, so memory holds one chunk whatever the file's size. Files ending in .gz are
// decompressed whole with zlib.gunzipSync (Node's zlib has no public synchronous streaming
// inflate), then handed out in chunks: memory then holds the decompressed file, so .gz files are
// limited to MAX_GUNZIPPED_BYTES decompressed — gunzip a bigger trace first to stream it.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../api/input-error.js';

/** 16 KB: a reader holds one chunk's parsed rows or lines until the replay reaches them. With
 * 1 MB chunks that was some 30,000 rows of a pod trace (about 10 MB of parsed records, a minute
 * of simulated time ahead, kept long enough to be promoted to V8's old generation); 16 KB is
 * about 500, most of them read before the next young-generation collection (on a 20,000-row
 * trace, 64 KB cost 1.4 % more instructions). A read call per 16 KB costs nothing in comparison. */
export const CHUNK_BYTES = 1 << 14;
/** Largest decompressed size of a .gz trace (it is held in memory while read). */
export const MAX_GUNZIPPED_BYTES = 512 * 1024 * 1024;

export interface ChunkSource {
  /** The next chunk, or null at the end of the file. */
  read(): Buffer | null;
  close(): void;
}

/** Opens `path` (named `display` in errors); throws InputError when it cannot be read. */
export function openChunks(path: string, display: string): ChunkSource {
  try {
    if (statSync(path).isDirectory()) throw new InputError(display, 0, 0, '', 'a trace file, not a directory');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw unreadable(display, e);
  }
  return textOnly(/\.gz$/i.test(path) ? gunzipped(path, display) : plain(path, display), display);
}

/** Refuses UTF-16 text (what Windows PowerShell's `>` writes) and binary data at the start. */
function textOnly(src: ChunkSource, display: string): ChunkSource {
  let first = true;
  return {
    read() {
      const c = src.read();
      if (first && c !== null) {
        first = false;
        if ((c[0] === 0xff && c[1] === 0xfe) || (c[0] === 0xfe && c[1] === 0xff)) {
          src.close();
          throw new InputError(display, 0, 0, '', 'a text trace in UTF-8', 'UTF-16 text (save the file as UTF-8)');
        }
        if (c.subarray(0, 4096).includes(0)) {
          src.close();
          throw new InputError(display, 0, 0, '', 'a text trace', 'binary data');
        }
      }
      return c;
    },
    close: () => src.close(),
  };
}

function plain(path: string, display: string): ChunkSource {
  let fd: number | null;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw unreadable(display, e);
  }
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  return {
    read() {
      if (fd === null) return null;
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) {
        this.close();
        return null;
      }
      // A copy: the parser may keep a reference to the bytes of an unfinished record.
      return Buffer.from(buf.subarray(0, n));
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function gunzipped(path: string, display: string): ChunkSource {
  let data: Buffer | null;
  try {
    data = gunzipSync(readFileSync(path), { maxOutputLength: MAX_GUNZIPPED_BYTES });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw unreadable(display, e);
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/.test(err.message)) {
      throw new InputError(display, 0, 0, '', `a .gz trace of at most ${MAX_GUNZIPPED_BYTES} bytes decompressed (gunzip a bigger file first: plain files are streamed)`);
    }
    throw new InputError(display, 0, 0, '', 'a gzip file (the name ends in .gz)', `data gunzip cannot read (${err.code ?? err.message})`);
  }
  let at = 0;
  return {
    read() {
      if (data === null || at >= data.length) {
        data = null;
        return null;
      }
      const chunk = data.subarray(at, at + CHUNK_BYTES);
      at += chunk.length;
      return chunk;
    },
    close() {
      data = null;
    },
  };
}

function unreadable(display: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  return new InputError(display, 0, 0, '', 'a readable trace file (paths are relative to the scenario)', code === 'ENOENT' ? 'no such file' : String(code ?? e));
}

/** Lines of a chunk source (for the line-based formats: SWF, JSON Lines), with 1-based numbers. */
export class LineReader {
  private buffered: string[] = [];
  private rest = '';
  private done = false;
  private lineNo = 0;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly src: ChunkSource) {}

  /** The next line (without its end of line) and its number, or null at the end. */
  next(): { readonly text: string; readonly line: number } | null {
    while (this.buffered.length === 0) {
      if (this.done) return null;
      const chunk = this.src.read();
      if (chunk === null) {
        this.done = true;
        const last = this.rest + this.decoder.decode();
        this.rest = '';
        if (last !== '') this.buffered.push(last);
        continue;
      }
      const parts = (this.rest + this.decoder.decode(chunk, { stream: true })).split('\n');
      this.rest = parts.pop() as string;
      this.buffered = parts;
      this.buffered.reverse();
    }
    // Every CR before the LF: a line ending "\r\r\n" (a file converted to CRLF twice) is one line.
    const text = (this.buffered.pop() as string).replace(/\r+$/, '');
    return { text, line: ++this.lineNo };
  }

  close(): void {
    this.src.close();
    this.buffered = [];
  }
}
