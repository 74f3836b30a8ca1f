// Warnings as the CLI prints them: a few unknown fields one per line, many of them as one
// grouped warning with the first five (a 400-object file with a typo in its template would
// otherwise bury the summary); --verbose prints every one. run.json keeps them all.
import { wrapOnTerminal } from './table.js';

/** One warning as stderr shows it: `ksim: warning: ...` and a newline, broken between words at a
 * terminal's edge (wrapOnTerminal, on stderr's width); one line to a pipe or a file. */
export function warningLine(w: string): string {
  return `${wrapOnTerminal(`ksim: warning: ${w}`, process.stderr.isTTY === true ? process.stderr.columns : undefined)}\n`;
}

const UNKNOWN_FIELD = /: unknown field "/;
/** The object a warning is about: its file and the path up to the object (a workload entry's
 * manifest, a node, a List item). */
const OBJECT = /^(.*?):\d+:\d+: ((?:workload\[\d+\]\.manifests?(?:\[\d+\])?)|(?:cluster\.nodes\[\d+\])|(?:items\[\d+\]))?/;

export const FIRST_SHOWN = 5;

export function groupWarnings(warnings: readonly string[], verbose: boolean): string[] {
  const unknown = warnings.filter((w) => UNKNOWN_FIELD.test(w));
  if (verbose || unknown.length <= FIRST_SHOWN) return [...warnings];
  const objects = new Set(unknown.map((w) => {
    const m = OBJECT.exec(w);
    return m === null ? w : `${m[1] ?? ''}\u0000${m[2] ?? ''}`;
  }));
  const others = warnings.filter((w) => !UNKNOWN_FIELD.test(w));
  const grouped = `${unknown.length} unknown fields in ${objects.size} object${objects.size === 1 ? '' : 's'} (--verbose shows all; --strict refuses them); first ${FIRST_SHOWN}:\n` +
    unknown.slice(0, FIRST_SHOWN).map((w) => `  ${w}`).join('\n');
  return [grouped, ...others];
}

/** --strict: unknown fields are errors (a `replica:` typo would silently run 1 replica). */
export function unknownFields(warnings: readonly string[]): string[] {
  return warnings.filter((w) => UNKNOWN_FIELD.test(w));
}
