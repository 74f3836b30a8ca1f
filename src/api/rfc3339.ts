// RFC 3339 times as the Kubernetes API writes them (metav1.Time: whole seconds; MicroTime: a
// fraction), e.g. a snapshot's creationTimestamp.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** µs since the epoch of an RFC 3339 time (metav1.Time, or MicroTime's fraction), or null when
 * the text is not one (Go's time.Parse refuses a day past the month's end too). */
export function parseRfc3339Us(text: string): number | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  const zone = m[8] as string;
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fractionUs = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1e6 + 1e-6);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  return ms * 1000 + fractionUs;
}
