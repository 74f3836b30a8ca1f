import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAll, rowError, tempTrace } from './testing.js';

test('ksim-events JSON Lines apply and delete objects at their times', () => {
  const path = tempTrace('e.jsonl', [
    '{"at": 0, "op": "apply", "object": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}}',
    '',
    '{"at": "90s", "op": "apply", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "late"}, "status": {"allocatable": {"cpu": "4", "memory": "8Gi"}}}}',
    '{"at": 120, "op": "delete", "object": {"kind": "Deployment", "metadata": {"name": "web"}}}',
  ].join('\n'));
  const items = readAll('ksim-events', path);
  assert.deepEqual(items.map((i) => [i.kind, i.timeS, i.line, (i as { object: { kind: string } }).object.kind]), [['apply', 0, 1, 'Deployment'], ['apply', 90, 3, 'Node'], ['delete', 120, 4, 'Deployment']]);
  assert.deepEqual((items[2] as { object: unknown }).object, { kind: 'Deployment', namespace: 'default', name: 'web' });
});

test('ksim-events YAML documents are read too', () => {
  const path = tempTrace('e.yaml', 'at: 5\nop: delete\nobject: { kind: Pod, metadata: { name: p, namespace: ns } }\n---\nat: 6\nop: delete\nobject: { kind: Pod, metadata: { name: q } }\n');
  assert.deepEqual(readAll('ksim-events', path).map((i) => [i.timeS, i.line, (i as { object: unknown }).object]), [[5, 1, { kind: 'Pod', namespace: 'ns', name: 'p' }], [6, 5, { kind: 'Pod', namespace: 'default', name: 'q' }]]);
});

test('malformed ksim-events give exact messages', () => {
  const cases: [string, string][] = [
    ['{"at": 0, "op": "create", "object": {}}\n', 'line 1: op: expected apply or delete, got "create"'],
    ['{"at": -1, "op": "apply", "object": {}}\n', 'line 1: at: expected a non-negative number of seconds or a duration such as 90s, got -1'],
    ['{"at": 0, "op": "apply", "object": {}, "when": 1}\n', 'line 1: when: expected the fields at, op, object, got unknown field "when"'],
    ['{"at": 0, "op": "apply", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}}\n', 'line 1: object.spec.containers: expected a non-empty list of containers, got a list'],
    ['{"at": 0, "op": "delete", "object": {"kind": "Pod"}}\n', 'line 1: object.metadata.name: expected the name of the object to delete, got nothing'],
  ];
  for (const [text, message] of cases) assert.equal(rowError('ksim-events', 'e.jsonl', text), message, text);
});

test('an applied object is validated as a scenario\'s manifest: an update strategy or a template the API server refuses is the row\'s error', () => {
  const template = '"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}';
  const ds = `{"at": 0, "op": "apply", "object": {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "n"}, "spec": {"updateStrategy": {"rollingUpdate": {"maxSurge": 1}}, ${template}}}}\n`;
  assert.equal(rowError('ksim-events', 'e.jsonl', ds), 'line 1: object.spec.updateStrategy.rollingUpdate.maxSurge: expected 0 while maxUnavailable is 1, its default (may not be set when maxUnavailable is non-zero: set maxUnavailable to 0 to surge), got 1');
  const sts = `{"at": 0, "op": "apply", "object": {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {${template.replace('"spec": {', '"spec": {"activeDeadlineSeconds": 20, ')}}}}\n`;
  assert.equal(rowError('ksim-events', 'e.jsonl', sts), "line 1: object.spec.template.spec.activeDeadlineSeconds: expected no activeDeadlineSeconds (activeDeadlineSeconds in StatefulSet is not Supported: a StatefulSet's pods run until it replaces them), got 20");
  const hpa = '{"at": 0, "op": "apply", "object": {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "h"}, "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 3, "metrics": [{"type": "Resource"}]}}}\n';
  assert.equal(rowError('ksim-events', 'e.jsonl', hpa), 'line 1: object.spec.metrics[0].resource: expected a resource source for type Resource (must populate information for the given metric source)');
});

test('unknown fields of an event\'s object are warned about at its line in the file (JSON Lines and YAML), not dropped silently', () => {
  const pod = (extra: string) => `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x", "resourcez": {}}]${extra}}}`;
  const jsonl = tempTrace('e.jsonl', `{"at": 0, "op": "apply", "object": ${pod('')}}\n\n{"at": 1, "op": "apply", "object": ${pod(', "nodeSelectr": {}')}}\n`);
  const items = readAll('ksim-events', jsonl) as { warnings?: readonly string[] }[];
  assert.deepEqual(items.map((i) => i.warnings), [
    ['trace:1:151: object.spec.containers[0]: unknown field "resourcez" (did you mean "resources"?)'],
    ['trace:3:151: object.spec.containers[0]: unknown field "resourcez" (did you mean "resources"?)', 'trace:3:170: object.spec: unknown field "nodeSelectr" (did you mean "nodeSelector"?)'],
  ]);
  const yaml = tempTrace('e.yaml', `at: 0\nop: apply\nobject: ${pod('')}\n`);
  assert.deepEqual((readAll('ksim-events', yaml) as { warnings?: readonly string[] }[]).map((i) => i.warnings), [['trace:3:124: object.spec.containers[0]: unknown field "resourcez" (did you mean "resources"?)']]);
});

test('a JSON Lines event cut short ends at the end of its line, not of the file (lines follow it)', () => {
  // /tmp/h22/odd/ev_trunc.jsonl, line 11: it said "got the end of the file" with lines after it.
  const ok = '{"at": 0, "op": "delete", "object": {"kind": "Pod", "metadata": {"name": "p"}}}';
  assert.equal(rowError('ksim-events', 'e.jsonl', `${ok}\n{"at": 1, "op": "delete"\n${ok}\n`), 'line 2: expected valid JSON ("," or "}" after an object member), got the end of the line');
  assert.equal(rowError('ksim-events', 'e.jsonl', `${ok}\n{"at": 1, "op": "del\n${ok}\n`), 'line 2: expected valid JSON (a closing quote), got the end of the line');
  // Two values on one line.
  assert.equal(rowError('ksim-events', 'e.jsonl', `${ok} {}\n`), 'line 1: expected valid JSON (the end of the line after the top-level value), got "{"');
});

test('ksim-events: a Node delete is read as the delete of that Node (no namespace), as JSON Lines and YAML', () => {
  // It was refused as not simulated; the API server now deletes the Node (ApiServer.deleteNode).
  const text = '{"at": 60, "op": "apply", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}, "status": {"allocatable": {"cpu": "4"}}}}\n{"at": 150, "op": "delete", "object": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}}\n';
  const items = readAll('ksim-events', tempTrace('e.jsonl', text)) as { kind: string; timeS: number; object: unknown }[];
  assert.deepEqual([items[1]!.kind, items[1]!.timeS, items[1]!.object], ['delete', 150, { kind: 'Node', namespace: '', name: 'n1' }]);
  const yaml = readAll('ksim-events', tempTrace('e.yaml', 'at: 1\nop: delete\nobject:\n  kind: Node\n  metadata: {name: n1}\n')) as { object: unknown }[];
  assert.deepEqual(yaml[0]!.object, { kind: 'Node', namespace: '', name: 'n1' });
});
