// The trace formats, by name (one module each).
import { alibaba2017 } from './alibaba-2017.js';
import { alibabaGpu2023 } from './alibaba-gpu-2023.js';
import { alibabaGpu2025 } from './alibaba-gpu-2025.js';
import { ksimCsv } from './ksim-csv.js';
import { ksimEvents } from './ksim-events.js';
import { swf } from './swf.js';
import type { TraceFormat } from './trace-types.js';

export const TRACE_FORMATS: Readonly<Record<string, TraceFormat>> = Object.fromEntries([ksimCsv, ksimEvents, alibabaGpu2023, alibabaGpu2025, alibaba2017, swf].map((f) => [f.name, f]));
