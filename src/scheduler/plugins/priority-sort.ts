// QueueSort: higher priority first, then earlier queue timestamp
// (upstream pkg/scheduler/framework/plugins/queuesort/priority_sort.go).
import type { Plugin, QueuedPodInfo, QueueSortPlugin } from '../framework/interfaces.js';
import { PrioritySort } from './names.js';

export class PrioritySortPlugin implements QueueSortPlugin {
  readonly name = PrioritySort;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = a.pod.priority;
    const pb = b.pod.priority;
    return pa > pb || (pa === pb && a.timestampUs < b.timestampUs);
  }
}

export function newPrioritySort(): Plugin {
  return new PrioritySortPlugin();
}
