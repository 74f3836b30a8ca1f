// Long closing lines ("Wrote … to DIR/ in … s of wall time (…)") broken between words for a
// terminal: a terminal breaks them mid-word at its edge. Pipes and files get one line (greppable).

/** `text` broken at spaces into lines of at most `columns - 1` characters (a word longer than
 * that stands alone); unchanged when `columns` is undefined (not a terminal) or the text fits. */
export function wrapForTerminal(text: string, columns: number | undefined): string {
  if (columns === undefined || !(columns > 20)) return text;
  const width = columns - 1;
  if (text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Standard output's width when it is a terminal, else undefined. */
export function stdoutColumns(): number | undefined {
  return process.stdout.isTTY === true ? process.stdout.columns : undefined;
}
