// The trace formats, by name (one module each).
import { ksimCsv } from './ksim-csv.js';
import type { TraceFormat } from './trace-types.js';

export const TRACE_FORMATS: Readonly<Record<string, TraceFormat>> = Object.fromEntries([ksimCsv].map((f) => [f.name, f]));
