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

/** etcd's proposal queue holding a write at least this long is worth a warning (µs): a write
 * normally commits in milliseconds (README "Time, latency and the control plane"). */
export const ETCD_QUEUE_WARN_US = 1_000_000;

/** What the etcd model counted of its proposal queue (src/controlplane/etcd.ts EtcdModel). */
export interface EtcdQueueStats {
  readonly writes: number;
  readonly queuedWrites: number;
  readonly queueUs: number;
  readonly maxQueueUs: number;
}

/** A warning when etcd's write capacity (controlPlane.etcd.maxWritesPerSecond: the leader
 * proposes one write at a time) held a write at least ETCD_QUEUE_WARN_US: every write waits on
 * it (bindings, pod creates, status updates, lease renewals), so it stretches scheduling,
 * startup and recovery alike. */
export function etcdCapacityWarnings(q: EtcdQueueStats, maxWritesPerSecond: number): string[] {
  if (q.maxQueueUs < ETCD_QUEUE_WARN_US) return [];
  const n = (x: number) => x.toLocaleString('en-US');
  const mean = q.queuedWrites === 0 ? 0 : q.queueUs / q.queuedWrites;
  return [`etcd's write capacity (controlPlane.etcd.maxWritesPerSecond: ${n(maxWritesPerSecond)}) held ${n(q.queuedWrites)} of its ${n(q.writes)} writes behind the leader's proposal queue (the longest for ${formatDuration(Math.round(q.maxQueueUs / 1000) * 1000)}, ${formatDuration(Math.round(mean / 1000) * 1000)} on average): it, not the cluster, set the pace of every write (creates, bindings, status updates, lease renewals); raise controlPlane.etcd.maxWritesPerSecond to see the cluster's own`];
}
