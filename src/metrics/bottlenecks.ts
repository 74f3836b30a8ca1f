// Warnings that name a client rate limit as what set a run's pace: a limit that held writes for
// long (e.g. 200,000 pods bound at scheduler QPS 50 wait up to 67 minutes on an idle cluster)
// makes latency figures describe the limit, not the cluster.
import { formatDuration } from '../api/duration.js';
import type { ClientLimit } from '../controlplane/api-server.js';

/** A limit that held some write at least this long is worth a warning (µs). */
export const RATE_LIMIT_WARN_US = 10_000_000;

export interface ClientHolds {
  readonly client: string;
  readonly writes: number;
  readonly held: number;
  readonly maxWaitUs: number;
}

/** One warning per client kind whose rate limit held a write at least RATE_LIMIT_WARN_US. */
export function rateLimitWarnings(holds: readonly ClientHolds[], limits: ReadonlyMap<string, ClientLimit>, fields: Readonly<Record<string, string>> = {}): string[] {
  const out: string[] = [];
  for (const h of holds) {
    const l = limits.get(h.client);
    if (l === undefined || h.maxWaitUs < RATE_LIMIT_WARN_US) continue;
    const key = fields[h.client] ?? h.client;
    out.push(`the ${h.client} client's rate limit (controlPlane.clients.${key}: qps ${l.qps}, burst ${l.burst}) held ${h.held.toLocaleString('en-US')} of its ${h.writes.toLocaleString('en-US')} writes (the longest for ${formatDuration(h.maxWaitUs)}): it, not the cluster, set the pace; raise controlPlane.clients.${key}.qps to see the cluster's own`);
  }
  return out;
}
