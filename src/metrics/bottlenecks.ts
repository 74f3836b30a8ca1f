// Warnings that name a client rate limit as what set a run's pace: a limit that held writes for
// long (e.g. 200,000 pods bound at scheduler QPS 50 wait up to 67 minutes on an idle cluster)
// makes latency figures describe the limit, not the cluster.
import { formatDuration } from '../api/duration.js';
import type { ClientHolds as Holds, ClientLimit } from '../controlplane/api-server.js';

/** A limit that held some write at least this long is worth a warning (µs). */
export const RATE_LIMIT_WARN_US = 10_000_000;

/** A client kind's holds (api-server.ts ClientHolds): writes sent within the run and those still
 * waiting at its end. */
export interface ClientHolds extends Readonly<Holds> {
  readonly client: string;
}

/** One warning per client kind whose rate limit held a write at least RATE_LIMIT_WARN_US (one
 * sent, or one still waiting at the end, for as long as the run lasted). */
export function rateLimitWarnings(holds: readonly ClientHolds[], limits: ReadonlyMap<string, ClientLimit>, fields: Readonly<Record<string, string>> = {}): string[] {
  const out: string[] = [];
  const n = (x: number) => x.toLocaleString('en-US');
  for (const h of holds) {
    const l = limits.get(h.client);
    if (l === undefined || Math.max(h.maxWaitUs, h.maxQueuedWaitUs) < RATE_LIMIT_WARN_US) continue;
    const key = fields[h.client] ?? h.client;
    const longest = h.held === 0 ? '' : ` (the longest for ${formatDuration(h.maxWaitUs)})`;
    const what = h.queued === 0
      ? `held ${n(h.held)} of its ${n(h.writes)} writes${longest}`
      : `held ${n(h.held)} of the ${n(h.writes)} writes it sent${longest}, and ${n(h.queued)} more ${h.queued === 1 ? 'was' : 'were'} still waiting at the end (the longest for ${formatDuration(h.maxQueuedWaitUs)} by then)`;
    out.push(`the ${h.client} client's rate limit (controlPlane.clients.${key}: qps ${l.qps}, burst ${l.burst}) ${what}: it, not the cluster, set the pace; raise controlPlane.clients.${key}.qps to see the cluster's own`);
  }
  return out;
}
