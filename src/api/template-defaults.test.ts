// Pod templates compared as the API server stores them: defaults from upstream's
// TestWorkloadDefaults (pkg/apis/core/v1/defaults_test.go) and a dump's template against the
// chart's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparableTemplate } from './template-defaults.js';
import { canonicalJson } from './values.js';

test("upstream's template defaults are filled in (TestWorkloadDefaults' expectations), unset fields dropped", () => {
  const t = {
    metadata: { labels: { app: 'web' }, creationTimestamp: null },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { grpc: { port: 9000 } },
          lifecycle: { preStop: { httpGet: { port: 8080 } } },
          resources: {},
        },
      ],
      initContainers: [{ name: 'i', image: 'busybox' }],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'cfg' } }, { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }, { name: 'h', hostPath: { path: '/var' } }],
    },
  };
  assert.deepEqual(comparableTemplate(t), {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'nginx:1.25',
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
          livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          lifecycle: { preStop: { httpGet: { port: 8080, path: '/', scheme: 'HTTP' } } },
        },
      ],
      // No tag: "latest", pulled Always.
      initContainers: [{ name: 'i', image: 'busybox', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
      volumes: [
        { name: 'scratch' }, // emptyDir: {} filled in, then dropped as empty: the same as written
        { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
        { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }], defaultMode: 420 } },
        { name: 'h', hostPath: { path: '/var', type: '' } },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
    },
  });
});

/** A Deployment's template as `kubectl get deploy -o json` shows it (every default written). */
const DUMPED = {
  metadata: { creationTimestamp: null, labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'ghcr.io/acme/web:2.4.1',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: 'web',
    serviceAccountName: 'web',
    terminationGracePeriodSeconds: 30,
  },
};

test('a dumped template equals the same template as a chart writes it; a real change still differs', () => {
  const chart = {
    metadata: { labels: { app: 'web' } },
    spec: {
      serviceAccountName: 'web',
      containers: [{ name: 'web', image: 'ghcr.io/acme/web:2.4.1', ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: 0.25, memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } } }],
      tolerations: [],
      hostNetwork: false,
    },
  };
  const same = (a: unknown, b: unknown) => canonicalJson(comparableTemplate(a)) === canonicalJson(comparableTemplate(b));
  assert.equal(same(DUMPED, chart), true);
  const bumped = structuredClone(chart);
  bumped.spec.containers[0]!.resources.requests.cpu = 0.5;
  assert.equal(same(DUMPED, bumped), false);
  const retagged = structuredClone(chart);
  retagged.spec.containers[0]!.image = 'ghcr.io/acme/web:2.4.2';
  assert.equal(same(DUMPED, retagged), false);
  // An explicit policy other than the default is a change.
  const never = structuredClone(chart) as typeof chart & { spec: { restartPolicy?: string } };
  never.spec.restartPolicy = 'OnFailure';
  assert.equal(same(DUMPED, never), false);
  // The input is not changed.
  assert.equal((chart.spec as { dnsPolicy?: string }).dnsPolicy, undefined);
});
