// Replays one trace entry on the simulation clock. The reader is pulled one accepted row ahead:
// reading the next row is part of the event that submits the current one, so the file is read
// only as far as the simulated clock has gone (plus one row and the reader's current chunk),
// and the rows merge with every other arrival through the one event queue (equal times run in
// scheduling order). Pods leave memory as the run goes: finished ones are deleted by the pod
// garbage collector (src/controllers/podgc.ts), deleted ones at once.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { readyInStatus, type NodeInfo } from '../../cluster/node-info.js';
import { parseResourceList } from '../../cluster/resources.js';
import type { Labels } from '../../api/labels.js';
import type { Simulation } from '../../engine/simulation.js';
import type { RandomStream } from '../../engine/random.js';
import { MAX_SIM_TIME_US } from '../../engine/time.js';
import type { ApiServer } from '../../controlplane/api-server.js';
import type { ObjectApi } from '../../controlplane/object-api.js';
import { keyOf, type WorkloadObject } from '../../cluster/workload-object.js';
import { changedImmutableField } from '../immutable-fields.js';
import { podStoreKey, WORKLOAD_ANNOTATION, type PodInfo } from '../../cluster/pod-info.js';
import { TRACE_FORMATS } from './registry.js';
import { applyPatch, lastApplied, threeWayPatch, withLastApplied, type JsonObject } from '../../api/three-way-merge.js';
import { changedUpdatableFields, podSpecUpdateRefusal } from '../../api/pod-update.js';
import { InputError } from '../../api/input-error.js';
import { objectsForRow, TraceContainers, type RowObjects } from './trace-objects.js';
import type { TraceSpec } from './trace-entry.js';
import { rowInputError, TraceRowError, type TraceItem, type TraceReader } from './trace-types.js';

/** Pods of one row created in one event (TraceReplay.createPods). */
export const ROW_PART = 1000;

/** What a trace entry did, for run.json and the warnings. */
export interface TraceStats {
  readonly entry: string;
  readonly file: string;
  /** Data rows read (including skipped ones). The FGD replay reads the whole file first: its
   * rows, not the pods it replays (topped-up copies are not rows). */
  rows: number;
  /** Rows outside the window, not drawn by the sampling, left out by the format (TraceItem
   * leftOut), or past the run's end (the first row past the window's or the run's end ends the
   * reading, after one more row read to check the order). The FGD replay's pods (rows or
   * copies) past the run's end or the row limit. */
  rows_filtered: number;
  /** Pods created before the window's `start` and still alive at it (deleted after it, or
   * never; a run time ending after it): created at the window's start for the rest of their
   * life (the same deletion time; the run time less what had passed), as the whole replay
   * would have them alive then. Counted in objects_submitted too (or in rows_filtered when
   * the sampling leaves them out). */
  rows_alive_at_start: number;
  /** Malformed rows skipped (onError: skip). */
  rows_skipped: number;
  /** The FGD replay: rows its tune-down dropped at random (upstream tuneDownPods), their GPU
   * request above topUp × the cluster's GPU capacity; 0 otherwise. */
  rows_tuned_down: number;
  /** The FGD replay: pods its top-up added, drawn with replacement from the rows (named
   * `<pod>-tuned-<i>`; upstream tuneUpPods); 0 otherwise. rows + pods_topped_up =
   * rows_filtered + rows_skipped + rows_tuned_down + objects_submitted. */
  pods_topped_up: number;
  /** Pods (or Jobs) created. */
  objects_submitted: number;
  /** The first skipped row's message. */
  first_skipped: string;
  /** Unknown fields in its objects (ksim-events), ignored as a scenario's are, and the first. */
  unknown_fields: number;
  first_unknown_field: string;
}

export class TraceReplay {
  readonly stats: TraceStats;
  /** The pods' container lists, shared by the rows that ask for the same amounts. */
  private readonly containers = new TraceContainers();
  private reader: TraceReader | null = null;
  private lastAtUs = 0;
  private lastLine = 0;
  /** The file held no rows at all (warned about at the end). */
  private empty = false;
  /** A row read and scheduled whose arrival has not run yet. */
  private arriving = false;
  /** Items read from the reader (rows, or the FGD replay's pods): what `limit` counts. */
  private itemsRead = 0;
  /** The FGD replay's counts, kept for the warnings once the reader is closed. */
  private replay: NonNullable<TraceReader['replay']> | null = null;
  /** Rows left out by the format (TraceItem leftOut), by reason: how many, and the first's place. */
  private readonly leftOut = new Map<string, { count: number; first: string }>();
  /** Deletes of objects that did not exist when they reached the API server (upstream: 404 Not
   * Found): how many, and the first's place. */
  private notFound = { count: 0, first: '' };
  /** Applies the API server refused for changing a field an update may not change (upstream:
   * 422 Invalid; the object stays as it was): how many, and the first's place and field. */
  private invalid = { count: 0, first: '' };
  /** Applies of a Node that did not exist, without status.allocatable or capacity: ksim cannot
   * make a node without its resources (upstream's kubelet reports them when it registers); not
   * replayed: how many, and the first's place. */
  private nodeNoStatus = { count: 0, first: '' };
  /** The readers' other warnings about applied objects (not unknown fields), each once, with how
   * many events gave it. */
  private readonly notes = new Map<string, { count: number; first: string }>();

  constructor(
    private readonly sim: Simulation,
    private readonly api: ApiServer,
    private readonly entry: string,
    private readonly spec: TraceSpec,
    private readonly rng: RandomStream,
    private readonly endUs: number,
    private readonly objects?: ObjectApi,
    /** An object with unknown fields stops the run (--strict) instead of being counted. */
    private readonly strict = false,
  ) {
    this.stats = { entry, file: spec.display, rows: 0, rows_filtered: 0, rows_alive_at_start: 0, rows_skipped: 0, rows_tuned_down: 0, pods_topped_up: 0, objects_submitted: 0, first_skipped: '', unknown_fields: 0, first_unknown_field: '' };
  }

  start(): void {
    const f = TRACE_FORMATS[this.spec.format]!;
    this.reader = this.guard(() => f.openPods!(this.spec.path, this.spec.display, this.spec.options, { rng: this.rng, cluster: this.api.cluster })) ?? null;
    const replay = this.reader?.replay;
    if (replay !== undefined) {
      this.replay = replay;
      this.stats.rows = replay.rows;
      this.stats.rows_tuned_down = replay.tunedDown;
      this.stats.pods_topped_up = replay.toppedUp;
    }
    this.pullNext();
  }

  /** Simulated time of a trace time. */
  private simUs(timeS: number): number {
    const us = this.spec.offsetUs + Math.round(((timeS - this.spec.startS) * 1e6) / this.spec.speedUp);
    return Math.min(us, MAX_SIM_TIME_US);
  }

  private durationUs(s: number): number {
    return Math.min(Math.round((s * 1e6) / this.spec.speedUp), MAX_SIM_TIME_US);
  }

  /** Reads up to the next accepted row and schedules it; stops at the end of the window, the
   * row limit, the run's end or the file's end. */
  private pullNext(): void {
    for (;;) {
      let item = this.readItem();
      if (item === undefined) continue; // a skipped row
      if (item === null) {
        this.empty = this.stats.rows === 0 && this.stats.rows_skipped === 0;
        return this.close();
      }
      if (item.timeS < this.spec.startS) {
        const alive = aliveAtStart(item, this.spec.startS);
        if (alive === null) {
          this.stats.rows_filtered++;
          continue;
        }
        // Created before the window and alive in it: created at its start, as the readers
        // create a pod of before the trace at 0 (the window is a slice of the whole replay).
        this.stats.rows_alive_at_start++;
        item = alive;
      }
      if (this.spec.endS !== null && item.timeS >= this.spec.endS) {
        this.stats.rows_filtered++;
        return this.stopAfter(item); // readers yield rows in time order: nothing later is in the window
      }
      if (item.kind === 'leftOut') {
        // Before the sampling: the draws stay those of the rows that can be replayed.
        this.stats.rows_filtered++;
        const n = this.leftOut.get(item.reason);
        if (n !== undefined) n.count++;
        else this.leftOut.set(item.reason, { count: 1, first: `${this.spec.display}:${item.line}:${item.column}` });
        continue;
      }
      if (this.spec.sample < 1 && this.rng.next() >= this.spec.sample) {
        this.stats.rows_filtered++;
        continue;
      }
      const at = this.simUs(item.timeS);
      if (at < this.lastAtUs && this.skip(outOfOrder(item, this.lastLine))) continue;
      this.lastAtUs = at;
      this.lastLine = item.line;
      if (at > this.endUs) {
        // Past the run's end, like past the window's: counted, and nothing later is replayed.
        this.stats.rows_filtered++;
        return this.stopAfter(item);
      }
      this.arriving = true;
      this.sim.scheduleAt(at, 'trace.arrive', this.entry, () => {
        this.arriving = false;
        this.submit(item);
        this.pullNext();
      });
      return;
    }
  }

  /** Ends the reading at `last`, the first row past the window's or the run's end. One more row
   * is read: one earlier than `last` means the file is not in time order, an error (or a skipped
   * row) rather than the silent loss of the rows after it. Reading on to check them all would
   * read the whole file. */
  private stopAfter(last: TraceItem): void {
    const next = this.readItem();
    if (next !== null && next !== undefined) {
      if (next.timeS < last.timeS) this.skip(outOfOrder(next, last.line));
      else this.stats.rows_filtered++;
    }
    this.close();
  }

  /** The next row; undefined for a skipped one; null at the end (or the row limit). */
  private readItem(): TraceItem | null | undefined {
    if (this.reader === null) return null;
    if (this.spec.limit !== null && this.itemsRead >= this.spec.limit) return null;
    // The FGD replay counted its rows when it read the file (start): its items are pods.
    const rows = this.reader.replay === undefined ? 1 : 0;
    try {
      const item = this.reader.next();
      if (item !== null) {
        this.stats.rows += rows;
        this.itemsRead++;
      }
      return item;
    } catch (e) {
      if (!(e instanceof TraceRowError)) throw e;
      this.stats.rows += rows;
      this.itemsRead++;
      this.skip(e);
      return undefined;
    }
  }

  /** The counts at the end of the run. The FGD replay read its whole file at the start: its pods
   * the run ended before (the one waiting for its arrival, those not handed out yet) count as
   * filtered, so that rows + pods_topped_up = rows_filtered + rows_skipped + rows_tuned_down +
   * objects_submitted. */
  statsAtEnd(): TraceStats {
    if (this.replay === null || this.reader === null) return { ...this.stats };
    return { ...this.stats, rows_filtered: this.stats.rows_filtered + (this.arriving ? 1 : 0) + (this.reader.remaining?.() ?? 0) };
  }

  /** What the run warns about this trace's file, besides skipped rows and unknown fields. */
  warnings(): string[] {
    const out = this.empty ? [`${this.spec.display}: ${TRACE_FORMATS[this.spec.format]!.noRows}`] : [];
    const r = this.replay;
    if (r !== null && r.tunedDown > 0) {
      const gpus = (m: number) => `${Number((m / 1000).toFixed(3))} GPU${m === 1000 ? '' : 's'}`;
      const kept = r.rows - r.tunedDown;
      out.push(`trace ${this.entry}: the FGD replay dropped ${r.tunedDown} of its ${r.rows} row(s) at random, ${kept === 0 ? 'all of them, so no pod is replayed' : `replaying ${kept}`}: their GPU request, ${gpus(r.rowsGpuMilli)}, is above topUp ${r.topUp} × the cluster's ${gpus(r.capacityGpuMilli)} = ${gpus(r.targetGpuMilli)}, and the replay cuts the list until it is not (upstream simulator's tuneDownPods); counted in run.json's rows_tuned_down`);
    }
    for (const [reason, n] of this.leftOut) out.push(`trace ${this.entry}: ${n.count} ${reason} left out, first: ${n.first}`);
    for (const n of this.notes.values()) out.push(`trace ${this.entry}: ${n.first}${n.count > 1 ? ` (and ${n.count - 1} more event(s) alike)` : ''}`);
    if (this.notFound.count > 0) out.push(`trace ${this.entry}: ${this.notFound.count} delete(s) of objects that did not exist (the API server answers NotFound), first: ${this.notFound.first}`);
    if (this.nodeNoStatus.count > 0) out.push(`trace ${this.entry}: ${this.nodeNoStatus.count} apply(s) of a Node that did not exist, without status.allocatable or status.capacity, not replayed (ksim needs a new node's allocatable resources, which its kubelet reports when it registers), first: ${this.nodeNoStatus.first}`);
    if (this.invalid.count > 0) out.push(`trace ${this.entry}: ${this.invalid.count} update(s) refused by the API server as Invalid (a field an update may not change was changed; the object stays as it was), first: ${this.invalid.first}`);
    return out;
  }

  /** Counts a malformed row (onError: skip) or stops the run with it. */
  private skip(e: TraceRowError): true {
    if (this.spec.onError === 'stop' || e.fatal) {
      this.close();
      throw rowInputError(this.spec.display, e);
    }
    this.stats.rows_skipped++;
    if (this.stats.first_skipped === '') this.stats.first_skipped = rowInputError(this.spec.display, e).message;
    return true;
  }

  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TraceRowError) this.skip(e);
      else throw e;
      return undefined;
    }
  }

  private close(): void {
    // The FGD replay's pods never handed out (past the run's end or the limit) were read too.
    if (this.reader?.replay !== undefined) this.stats.rows_filtered += this.reader.remaining?.() ?? 0;
    this.reader?.close();
    this.reader = null;
  }

  private submit(item: Exclude<TraceItem, { kind: 'leftOut' }>): void {
    this.stats.objects_submitted++;
    if (item.kind === 'pod') {
      const runUs = item.pod.durationS === null ? null : this.durationUs(item.pod.durationS);
      const objects = objectsForRow(item.pod, this.entry, this.spec.template, runUs, this.containers);
      const job = objects.job;
      // The FGD replay's give-up (giveUpAtS): a pod still unplaced that long after its creation committed is
      // deleted (timed from the commit, so a slow API write does not eat the scheduler's turn).
      const giveUpUs = item.pod.giveUpAtS === undefined ? null : this.durationUs(item.pod.giveUpAtS - item.timeS);
      const onCreated = giveUpUs === null ? undefined : (pi: PodInfo | null) => { if (pi !== null) this.giveUpUnplaced(pi, giveUpUs); };
      this.createPods(objects, 0, onCreated);
      if (job !== null) this.api.createObject(job);
      if (item.pod.deleteAtS !== null) {
        const at = Math.max(this.sim.now, this.simUs(item.pod.deleteAtS));
        const ns = item.pod.namespace ?? this.spec.template.namespace;
        if (at <= this.endUs) {
          this.sim.scheduleAt(at, 'trace.delete', `${ns}/${item.pod.name}`, () => {
            if (job !== null) this.api.deleteObject('Job', ns, item.pod.name);
            for (let i = 0; i < objects.count; i++) {
              const p = this.api.cluster.pods.get(`${ns}/${objects.podName(i)}`);
              // Gone at the trace's time (its deletion time is when the pod left: upstream's
              // deletionTimestamp is the end of the grace period), so no grace period is added:
              // 30 simulated seconds would be 30 × speedUp trace seconds of residency.
              if (p !== undefined && (p.pod.metadata?.annotations?.[WORKLOAD_ANNOTATION] ?? '') === this.entry) this.api.deletePod(p, 'deleted by the trace', true);
            }
          });
        }
      }
      return;
    }
    if (item.kind === 'apply') {
      const first = item.warnings?.[0];
      if (this.strict && first !== undefined) {
        this.close();
        throw strictError(first, this.spec.display, item.line);
      }
      for (const w of item.warnings ?? []) {
        if (this.stats.unknown_fields++ === 0) this.stats.first_unknown_field = w;
      }
      for (const w of item.notes ?? []) {
        // Keyed without the place: the same object applied again says the same thing.
        const key = w.replace(/^[^ ]*:\d+:\d+: /, '');
        const n = this.notes.get(key);
        if (n === undefined) this.notes.set(key, { count: 1, first: w });
        else n.count++;
      }
      return this.apply(item.object, item.line);
    }
    const o = item.object;
    const where = `${this.spec.display}:${item.line} (${o.kind} ${o.namespace === '' ? '' : `${o.namespace}/`}${o.name})`;
    const notFound = () => {
      if (this.notFound.count++ === 0) this.notFound.first = where;
    };
    if (o.kind === 'Pod') {
      const p = this.api.cluster.pods.get(`${o.namespace}/${o.name}`);
      if (p !== undefined) this.api.deletePod(p, 'deleted by the trace');
      else notFound();
    } else if (o.kind === 'Node') {
      // The Node object goes (ApiServer.deleteNode), its last-applied annotation with it (a Node
      // of the name applied later is a new object); its pods are the pod garbage collector's.
      this.api.deleteNode(o.name, (ok) => {
        if (!ok) notFound();
      });
    } else {
      this.api.deleteObject(o.kind, o.namespace, o.name, (ok) => {
        if (!ok) notFound();
      });
    }
  }

  /** Creates a row's pods from the `from`-th, ROW_PART in this event and the rest in events at
   * the same time: a row of millions of instances fills the heap a part at a time, so the run's
   * heap watch (between slices of events) can stop it with advice before Node.js runs out. */
  private createPods(objects: RowObjects, from: number, onCreated: ((p: PodInfo | null) => void) | undefined): void {
    const to = Math.min(objects.count, from + ROW_PART);
    for (let i = from; i < to; i++) this.api.createPod(objects.pod(i), onCreated);
    if (to < objects.count) this.sim.schedule(0, 'trace.arrive', this.entry, () => this.createPods(objects, to, onCreated));
  }

  /** Deletes `p` if it is still unplaced (not assumed or bound) `afterUs` from now. */
  private giveUpUnplaced(p: PodInfo, afterUs: number): void {
    const at = this.sim.now + afterUs;
    if (at > this.endUs) return;
    this.sim.scheduleAt(at, 'trace.give-up', p.key, () => {
      if (!p.deleted && p.nodeName === null && !p.terminating) this.api.deletePod(p, 'not placed before the next pod (the FGD replay gives up on it)');
    });
  }

  /**
   * ksim-events apply of a Node that exists: an update of the Node object, through the API
   * server's node-update path (ApiServer.updateNode: nodeUpdated watch events, so the scheduler's
   * queueing hints, the DaemonSet and taint-eviction controllers and the node books hear it, as
   * they hear the node lifecycle controller's taints), as kubectl apply makes it
   * (staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go patchSimple): the client computes a
   * three-way strategic merge patch now, from the Node as it reads it (its GET): `original` the
   * kubectl.kubernetes.io/last-applied-configuration annotation stored on it, whoever applied
   * it (another trace too), `current` the Node, `modified` the object given with its own
   * annotation; the patch sets the labels given that differ, and nulls what the last applied
   * configuration gave and this one leaves out (a label, spec.taints, spec.unschedulable; a whole
   * metadata.labels or spec left out: all of it); spec.taints given replaces the list (NodeSpec.Taints
   * is atomic). The API server merges the patch into the Node as stored when the write commits
   * (three-way-merge.ts), so what another write changed in between and the patch does not name
   * stays (two applies of a Node in flight both count); an empty patch is not sent. Its status is
   * not stored: an update of a Node object keeps the stored status (upstream
   * pkg/registry/core/node/strategy.go nodeStrategy.PrepareForUpdate: newNode.Status =
   * oldNode.Status; the kubelet writes status through /status), so allocatable, capacity and
   * conditions stay as they were, with a note when the object said otherwise. A patched Node
   * changing spec.podCIDR, podCIDRs or providerID once set is refused as Invalid at the commit
   * (ValidateNodeUpdate), counted with the other refused updates; the node stays as it was.
   */
  private updateNode(stored: NodeInfo, given: Node, line: number): void {
    const name = stored.name;
    const where = `${this.spec.display}:${line} (Node ${name})`;
    if (statusDiffers(stored, given)) {
      const key = 'node-status';
      const n = this.notes.get(key);
      if (n === undefined) this.notes.set(key, { count: 1, first: `${where}: status (allocatable, capacity, conditions) not stored: an update of a Node that exists keeps its stored status, as the API server does (the kubelet writes a Node's status); labels, taints and unschedulable are updated` });
      else n.count++;
    }
    const current = storedNode(stored);
    const patch = threeWayPatch(lastApplied(current), this.modifiedNode(given) as JsonObject, current as JsonObject);
    if (Object.keys(patch).length === 0) return;
    this.api.updateNode(name, (ni) => {
      const was = storedNode(ni);
      const next = applyPatch(was as JsonObject, patch) as Node;
      const changed = changedSetOnceField(was.spec, next.spec);
      if (changed !== null) {
        if (this.invalid.count++ === 0) this.invalid.first = `${where}: spec.${changed}: a Node's spec.${changed} may not change once set (the API server's ValidateNodeUpdate)`;
        return null;
      }
      // A set-once field the patch deletes keeps its stored value (left out = not managed, as
      // changedSetOnceField reads it).
      const spec: NonNullable<Node['spec']> = { ...next.spec };
      for (const f of NODE_SET_ONCE) if (spec[f] === undefined && was.spec?.[f] !== undefined) (spec as Record<string, unknown>)[f] = was.spec[f];
      next.spec = spec;
      const labels = { ...next.metadata?.labels } as Labels;
      const taints = next.spec?.taints ?? [];
      const unschedulable = next.spec?.unschedulable === true;
      return { labels, taints, unschedulable, node: { ...next, status: ni.node.status ?? {} } };
    });
  }

  /**
   * ksim-events apply of a Pod that exists: kubectl apply's three-way patch (patchSimple), as for
   * a Node: computed now from the pod as read (`original` its last-applied annotation, `current`
   * the pod, `modified` the object given with its own annotation) and merged into the pod as
   * stored when the write commits. An identical apply makes an empty patch: nothing is sent
   * (kubectl's "unchanged"). The API server validates the update (upstream
   * pkg/apis/core/validation/validation.go ValidatePodUpdate): a spec change other than the
   * updatable fields is refused (`spec: Forbidden: pod updates may not change fields other than
   * ...`), counted with the other refused updates; the pod stays as it was. Metadata changes
   * freely: its labels and annotations are stored, the indexes that read labels (spread counts,
   * inter-pod affinity) follow them, and watchers hear podUpdated (the scheduler's
   * AssignedPod/UpdatePodLabel event, the disruption controller's PDB selection). The
   * updatable spec fields (images, activeDeadlineSeconds, tolerations added, scheduling gates
   * removed) and other metadata (owner references, finalizers) are not carried: a note says so.
   * The spec is compared with what was last applied (the user's own change: the stored spec
   * carries admission's defaults), or, without an annotation, with the stored spec.
   */
  private updatePod(stored: PodInfo, given: Pod, line: number): void {
    const where = `${this.spec.display}:${line} (Pod ${stored.key})`;
    const current = stored.pod as unknown as JsonObject;
    const modified = given as unknown as JsonObject;
    const original = lastApplied(stored.pod);
    const baseSpec = ((original?.['spec'] ?? current['spec']) ?? {}) as JsonObject;
    const specPatch = threeWayPatch((original?.['spec'] ?? null) as JsonObject | null, (modified['spec'] ?? {}) as JsonObject, baseSpec);
    const metaPatch = threeWayPatch((original?.['metadata'] ?? null) as JsonObject | null, (modified['metadata'] ?? {}) as JsonObject, (current['metadata'] ?? {}) as JsonObject);
    if (Object.keys(specPatch).length === 0 && Object.keys(metaPatch).length === 0) return; // unchanged
    const nextSpec = applyPatch(baseSpec, specPatch);
    const refusal = podSpecUpdateRefusal(baseSpec, nextSpec);
    this.api.updatePod(stored, (pod) => {
      if (refusal !== null) {
        if (this.invalid.count++ === 0) this.invalid.first = `${where}: The Pod "${stored.name}" is invalid: ${refusal}`;
        return null;
      }
      const was = (pod.metadata ?? {}) as JsonObject;
      const next = applyPatch(was, metaPatch);
      const notCarried = changedUpdatableFields(baseSpec, nextSpec);
      for (const k of new Set([...Object.keys(was), ...Object.keys(next)])) if (k !== 'labels' && k !== 'annotations' && JSON.stringify(was[k]) !== JSON.stringify(next[k])) notCarried.push(`metadata.${k}`);
      if (notCarried.length > 0) this.note('pod-update', `${where}: ${notCarried.join(', ')} changed by an update of a Pod that exists: not carried (ksim stores a pod update's labels and annotations only)`);
      const metadata = { ...pod.metadata } as Record<string, unknown>;
      if (next['labels'] === undefined) delete metadata['labels'];
      else metadata['labels'] = next['labels'];
      if (next['annotations'] === undefined) delete metadata['annotations'];
      else metadata['annotations'] = next['annotations'];
      // The workload annotation stays (PodInfo.workload was read from it at the create).
      return { ...pod, metadata } as Pod;
    });
  }

  /** Counts a note (one warning per kind, with the first's text and how many). */
  private note(key: string, first: string): void {
    const n = this.notes.get(key);
    if (n === undefined) this.notes.set(key, { count: 1, first });
    else n.count++;
  }

  /** What kubectl apply sends as the configuration of a Node given by the trace: the object with
   * its last-applied annotation (GetModifiedConfiguration), and the trace entry's annotation. */
  private modifiedNode(given: Node): Node {
    const m = withLastApplied(given);
    (m.metadata!.annotations as Record<string, string>)[WORKLOAD_ANNOTATION] = this.entry;
    return m;
  }

  /** ksim-events apply: create, or update an object that exists (Deployments scaled, ...). */
  private apply(o: WorkloadObject | Node, line: number): void {
    if (o.kind === 'Node') {
      const given = structuredClone(o) as Node;
      const name = given.metadata?.name ?? '';
      const stored = this.api.cluster.nodeByName.get(name);
      if (stored !== undefined) return this.updateNode(stored, given, line);
      if (given.status?.allocatable === undefined) {
        // Read without a status (ksim-events: it may be an update), but a create: refused.
        if (this.nodeNoStatus.count++ === 0) this.nodeNoStatus.first = `${this.spec.display}:${line} (Node ${name})`;
        return;
      }
      // kubectl apply creates it with its last-applied annotation (a later apply's original).
      const node = this.modifiedNode(given);
      this.api.forClient(`kubelet/${name}`).addNode(node, node.metadata?.labels?.['ksim.io/pool'] ?? '');
      return;
    }
    const obj = structuredClone(o) as WorkloadObject;
    (obj.metadata.annotations ??= {})[WORKLOAD_ANNOTATION] = this.entry;
    if (obj.kind === 'Pod') {
      // kubectl apply: created with its last-applied annotation (a later apply's original), or,
      // when the pod exists, patched (updatePod).
      const given = withLastApplied(obj as unknown as Pod);
      const stored = this.api.cluster.pods.get(podStoreKey(given));
      if (stored === undefined) this.api.createPod(given);
      else this.updatePod(stored, given, line);
      return;
    }
    const tpl = (obj as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }).spec?.template;
    if (tpl !== undefined) ((tpl.metadata ??= {}).annotations ??= {})[WORKLOAD_ANNOTATION] = this.entry;
    if (this.objects === undefined) {
      this.api.createObject(obj);
      return;
    }
    // An update that changes an immutable field (a Job's template, a StatefulSet's
    // serviceName, a Deployment's selector: immutable-fields.ts) is refused, as upstream's
    // validation refuses it.
    const stored = this.api.cluster.objects.get(keyOf(obj));
    const changed = stored === undefined ? null : changedImmutableField(obj.kind, stored.spec, obj.spec);
    if (changed !== null) {
      const ns = obj.metadata.namespace ?? '';
      if (this.invalid.count++ === 0) this.invalid.first = `${this.spec.display}:${line} (${obj.kind} ${ns === '' ? '' : `${ns}/`}${obj.metadata.name}): spec.${changed.field}: ${changed.why}`;
      return;
    }
    this.objects.apply(obj);
  }
}

/** The Node as the API server stores it: its object, with the labels, taints and cordon as they
 * are now (the node lifecycle controller's taint writes change those, not the object). */
function storedNode(ni: NodeInfo): Node {
  const n = ni.node;
  const spec: NonNullable<Node['spec']> = { ...n.spec };
  delete spec.taints;
  delete spec.unschedulable;
  if (ni.taints.length > 0) spec.taints = [...ni.taints];
  if (ni.unschedulable) spec.unschedulable = true;
  const metadata = { ...n.metadata };
  if (Object.keys(ni.labels).length > 0) metadata.labels = { ...ni.labels };
  else delete metadata.labels;
  return { ...n, metadata, spec };
}

/** The spec fields of a Node an update may set once and never change after (upstream
 * pkg/apis/core/validation/validation.go ValidateNodeUpdate: "node updates may not change
 * podCIDR except from \"\" to valid", the same for providerID). */
const NODE_SET_ONCE = ['podCIDR', 'podCIDRs', 'providerID'] as const;

/** The first set-once field `next` changes from a value `old` has, or null. A field `next`
 * leaves out keeps the stored value (as an apply that does not manage it). */
function changedSetOnceField(old: Node['spec'], next: Node['spec']): string | null {
  for (const f of NODE_SET_ONCE) {
    const was = old?.[f];
    const now = next?.[f];
    if (was === undefined || was === '' || (Array.isArray(was) && was.length === 0) || now === undefined) continue;
    if (JSON.stringify(was) !== JSON.stringify(now)) return f;
  }
  return null;
}

/** Whether an applied Node's status says something else than the stored node's: its
 * allocatable (or capacity, when it has no allocatable) or its Ready condition. */
function statusDiffers(stored: NodeInfo, next: Node): boolean {
  const st = next.status;
  if (st === undefined) return false;
  const list = (st.allocatable ?? st.capacity) as Record<string, string> | undefined;
  if (list !== undefined) {
    const a = parseResourceList(list, 'status.allocatable');
    const b = stored.allocatable;
    if (a.milliCpu !== b.milliCpu || a.memory !== b.memory || a.ephemeralStorage !== b.ephemeralStorage || a.allowedPodNumber !== b.allowedPodNumber) return true;
    const names = new Set([...a.scalarNames(), ...b.scalarNames()]);
    for (const r of names) if (a.getScalar(r) !== b.getScalar(r)) return true;
  }
  const ready = readyInStatus(next);
  return ready !== null && ready !== stored.ready;
}

/** `item` created at `startS` for the rest of its life when it is a pod created before
 * `startS` that is still alive then (no deletion time, or one after `startS`; no run time, or
 * one ending after `startS`), else null. The FGD replay's pods (giveUpAtS) are a sequence, not a
 * timeline: those before the window stay out. */
function aliveAtStart(item: TraceItem, startS: number): TraceItem | null {
  if (item.kind !== 'pod' || item.pod.giveUpAtS !== undefined) return null;
  const p = item.pod;
  if (p.deleteAtS !== null && p.deleteAtS <= startS) return null;
  if (p.durationS !== null && item.timeS + p.durationS <= startS) return null;
  const durationS = p.durationS === null ? null : item.timeS + p.durationS - startS;
  return { ...item, timeS: startS, pod: { ...p, durationS } };
}

/** The error of a row earlier than the one before it, at the row's time field (as every other
 * row error names its field and column), or at the row when the reader does not say where. */
function outOfOrder(item: TraceItem, previousLine: number): TraceRowError {
  const at = item.timeAt?.();
  return new TraceRowError(at?.line ?? item.line, at?.column ?? 0, at?.field ?? '', `rows in time order (this row's time is before line ${previousLine}'s)`, `${item.timeS}`);
}

/** --strict: the first unknown field of an object a trace applies, as bad input at its place
 * ("file:line:col: path: unknown field ..."; the row's line when the warning has no place). */
function strictError(warning: string, file: string, line: number): InputError {
  const m = /^(.*?):(\d+):(\d+): (.*?): (unknown field .*)$/.exec(warning);
  if (m === null) return new InputError(file, line, 0, '', 'no unknown fields (--strict)', warning);
  return new InputError(m[1] as string, Number(m[2]), Number(m[3]), m[4] as string, 'a known field (--strict refuses unknown fields)', m[5]);
}
