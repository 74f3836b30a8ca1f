// The state store: every node and pod the simulation knows, with per-node accounting and
// cluster-wide totals kept incrementally. It is the single source of truth that the API server
// model commits writes into; components read it, and change it only through the API server.
import type { Node } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './node-info.js';
import type { PodInfo, PodPhase } from './pod-info.js';
import { Resource } from './resources.js';

export class ClusterState {
  /** Nodes in the order they joined; NodeInfo.index is the position here. */
  readonly nodes: NodeInfo[] = [];
  readonly nodeByName = new Map<string, NodeInfo>();
  /** Live (not deleted) pods by namespace/name. */
  readonly pods = new Map<string, PodInfo>();
  /** Sum of allocatable over all nodes, and of requests of pods placed on them. */
  readonly totalAllocatable = new Resource();
  readonly totalRequested = new Resource();
  readonly phaseCounts: Record<PodPhase, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0 };
  podsCreated = 0;
  podsDeleted = 0;
  /** Called after the totals change (time-weighted metrics integrate on it). */
  onTotalsChanged: (() => void) | null = null;

  addNode(node: Node, pool: string): NodeInfo {
    const name = node.metadata?.name ?? '';
    if (this.nodeByName.has(name)) throw new Error(`node ${name} already exists`);
    const ni = new NodeInfo(node, pool, this.nodes.length);
    this.nodes.push(ni);
    this.nodeByName.set(name, ni);
    this.totalAllocatable.add(ni.allocatable);
    this.onTotalsChanged?.();
    return ni;
  }

  removeNode(name: string): NodeInfo {
    const ni = this.mustNode(name);
    if (ni.pods.length > 0) throw new Error(`node ${name} still has ${ni.pods.length} pods`);
    this.nodes.splice(ni.index, 1);
    for (let i = ni.index; i < this.nodes.length; i++) (this.nodes[i] as NodeInfo).index = i;
    this.nodeByName.delete(name);
    this.totalAllocatable.add(ni.allocatable, -1);
    this.onTotalsChanged?.();
    return ni;
  }

  mustNode(name: string): NodeInfo {
    const ni = this.nodeByName.get(name);
    if (ni === undefined) throw new Error(`unknown node ${name}`);
    return ni;
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) throw new Error(`pod ${p.key} already exists`);
    this.pods.set(p.key, p);
    this.phaseCounts[p.phase]++;
    this.podsCreated++;
  }

  /** Places a pod on a node's books (the scheduler's assume; later confirmed by the binding). */
  assume(p: PodInfo, ni: NodeInfo): void {
    if (p.nodeName !== null) throw new Error(`pod ${p.key} is already on ${p.nodeName}`);
    p.nodeName = ni.name;
    ni.addPod(p);
    this.totalRequested.add(p.requests);
    this.onTotalsChanged?.();
  }

  /** Takes a pod off its node's books (failed binding, termination, deletion). */
  unplace(p: PodInfo): void {
    if (p.nodeName === null || p.nodeSlot < 0) return;
    const ni = this.mustNode(p.nodeName);
    ni.removePod(p);
    this.totalRequested.add(p.requests, -1);
    this.onTotalsChanged?.();
  }

  forget(p: PodInfo): void {
    this.unplace(p);
    p.nodeName = null;
    p.bound = false;
  }

  setPhase(p: PodInfo, phase: PodPhase): void {
    if (p.phase === phase) return;
    this.phaseCounts[p.phase]--;
    this.phaseCounts[phase]++;
    p.phase = phase;
    // Terminal pods no longer hold resources on their node.
    if (p.terminal) this.unplace(p);
  }

  deletePod(p: PodInfo): void {
    if (p.deleted) return;
    this.unplace(p);
    p.deleted = true;
    this.phaseCounts[p.phase]--;
    this.pods.delete(p.key);
    this.podsDeleted++;
  }

  /** Names of the extended resources any node offers, sorted. */
  extendedResourceNames(): string[] {
    return this.totalAllocatable.scalarNames();
  }
}
