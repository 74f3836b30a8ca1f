// FastPriorityQueue's poll moves its last item to the top and leaves the slot past the heap's
// end pointing at it. Once that item has been polled too, the slot still holds it, and what it
// holds (an event's action and target, a queued pod: a finished pod, in the end), until the heap
// grows that far again, which a heap that stays small never does.
import type FastPriorityQueue from 'fastpriorityqueue';

/** heap.poll(), then the slot it left past the heap's end cleared. */
export function pollClearing<T>(heap: FastPriorityQueue<T>): T | undefined {
  const top = heap.poll();
  (heap as unknown as { array: (T | undefined)[] }).array[heap.size] = undefined;
  return top;
}
