// How long etcd takes to commit a write (upstream etcd op-guide/performance.md: a request costs
// at least the network round trip between members plus an fdatasync; proposals are batched).
// The model, per write arriving at the leader at time t:
//   1. the leader proposes writes one at a time, `1 / maxWritesPerSecond` each (a queue);
//   2. its WAL fsyncs are group commits: a write joins the fsync that starts when the disk is
//      next free, and every write of that batch is durable when the fsync ends;
//   3. the entry commits once a quorum has it: one round trip to the slowest follower the quorum
//      needs (the leader counts as one member);
//   4. entries commit in log order: raft's commit index only moves forward over a prefix of the
//      log, and etcd applies (and answers) entries in index order, so a write never commits
//      before one proposed ahead of it, whatever its own round trip.
// A lost leader stalls every write until a new one is elected (about one election timeout).
// Times saturate at the end of the clock (MAX_SIM_TIME_US): a write behind a queue longer than
// the clock can hold commits "never" (after any run's end) instead of overflowing it.
import { sampleNonNegativeInt, type Distribution } from '../engine/distributions.js';
import { addTimeUs } from '../engine/time.js';
import type { RandomStream } from '../engine/random.js';

export interface EtcdConfig {
  /** Round-trip time from the leader to each follower. */
  readonly followerRtt: readonly Distribution[];
  /** WAL fsync duration on the leader. */
  readonly fsync: Distribution;
  /** Proposals the leader processes per second (its CPU/apply limit). */
  readonly maxWritesPerSecond: number;
  /** Time to elect a new leader after a loss (etcd's election-timeout default: 1 s). */
  readonly electionTimeoutUs: number;
}

export class EtcdModel {
  private proposeFreeAt = 0;
  /** End of the fsync in progress (or of the last one). */
  private diskFreeAt = 0;
  /** The batch forming behind the fsync in progress: it starts at diskFreeAt. */
  private nextBatchEnd: number | null = null;
  private stalledUntil = 0;
  /** Commit time of the last write proposed: the raft commit index so far. */
  private lastCommitAt = 0;
  private readonly rtts: number[];
  /** Writes proposed, those that waited behind the proposal queue (maxWritesPerSecond), and
   * that wait's sum and longest (µs): etcdCapacityWarning. */
  writes = 0;
  queuedWrites = 0;
  queueUs = 0;
  maxQueueUs = 0;

  /** Time to propose one write: 1 / maxWritesPerSecond, rounded to µs (0 when unlimited). */
  private readonly proposeUs: number;

  constructor(
    readonly config: EtcdConfig,
    private readonly rng: RandomStream,
  ) {
    this.rtts = new Array<number>(config.followerRtt.length).fill(0);
    this.proposeUs = Number.isFinite(config.maxWritesPerSecond) ? Math.round(1e6 / config.maxWritesPerSecond) : 0;
  }

  /** Members in the cluster: the leader and its followers. */
  get members(): number {
    return this.config.followerRtt.length + 1;
  }

  /** When a write arriving at `nowUs` commits (µs, absolute). */
  commitTime(nowUs: number): number {
    const ready = Math.max(nowUs, this.stalledUntil);
    this.writes++;
    if (this.proposeFreeAt > ready) {
      const wait = this.proposeFreeAt - ready;
      this.queuedWrites++;
      this.queueUs += wait;
      if (wait > this.maxQueueUs) this.maxQueueUs = wait;
    }
    const proposed = addTimeUs(Math.max(ready, this.proposeFreeAt), this.proposeUs);
    this.proposeFreeAt = proposed;
    const durable = this.joinFsync(proposed);
    // etcd raft (go.etcd.io/raft log.go raftLog.commitTo: "never decrease commit"; etcdserver
    // server.go applyAll applies committed entries in index order): the commit index only advances; a write whose own quorum round trip is
    // shorter still waits for the entries before it. Both times are saturated, so this is too.
    const committed = Math.max(this.lastCommitAt, addTimeUs(durable, this.quorumRtt()));
    this.lastCommitAt = committed;
    return committed;
  }

  /** The leader is lost at `nowUs`: writes wait for the election. */
  loseLeader(nowUs: number): void {
    this.stalledUntil = Math.max(this.stalledUntil, addTimeUs(nowUs, this.config.electionTimeoutUs));
  }

  /** Until when writes are stalled by an election (0 when none ever happened). */
  get stalledUntilUs(): number {
    return this.stalledUntil;
  }

  private joinFsync(t: number): number {
    if (this.nextBatchEnd !== null && t >= this.diskFreeAt) {
      // The batch that formed behind the previous fsync has started by now.
      this.diskFreeAt = this.nextBatchEnd;
      this.nextBatchEnd = null;
    }
    if (t >= this.diskFreeAt) {
      this.diskFreeAt = addTimeUs(t, sampleNonNegativeInt(this.config.fsync, this.rng));
      return this.diskFreeAt;
    }
    this.nextBatchEnd ??= addTimeUs(this.diskFreeAt, sampleNonNegativeInt(this.config.fsync, this.rng));
    return this.nextBatchEnd;
  }

  /** The round trip to the slowest follower a majority needs: with n members the leader and
   * floor(n/2) followers form the quorum, so the floor(n/2)-th fastest follower counts. */
  private quorumRtt(): number {
    const n = this.rtts.length;
    if (n === 0) return 0;
    const rtts = this.rtts;
    // Drawn in follower order, then an insertion sort in place: Array.prototype.sort copies the
    // array on every call, and this runs on every write.
    for (let i = 0; i < n; i++) {
      const r = sampleNonNegativeInt(this.config.followerRtt[i] as Distribution, this.rng);
      let j = i;
      for (; j > 0 && (rtts[j - 1] as number) > r; j--) rtts[j] = rtts[j - 1] as number;
      rtts[j] = r;
    }
    const needed = Math.floor(this.members / 2);
    return rtts[needed - 1] as number;
  }
}
