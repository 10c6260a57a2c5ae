import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@ledgerline/testing';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import kubernetesSchema from './support/kubernetes-schema.json';

jest.setTimeout(60_000);

const SERVICES = ['connections', 'console', 'contacts', 'documents', 'payments'];
const CONSUMERS = ['console', 'contacts', 'documents', 'payments'];
const K8S = path.join(REPO_ROOT, 'k8s');

interface Container {
  name: string;
  env?: { name: string; value: string }[];
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet: { path: string } };
  livenessProbe?: { httpGet: { path: string } };
  envFrom?: unknown[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: { containers: Container[] };
}
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] };
interface Peer {
  namespaceSelector?: Selector;
  podSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol: string; port: number | string }[];
}
// One loose shape for every kind these files hold; each test reads the fields of its kind.
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec: {
    replicas?: number;
    template: PodTemplate;
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: unknown[];
    podSelector: Selector;
    policyTypes: string[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
    topicName: string;
    partitions: number;
    config: Record<string, string | number>;
    rules: { host: string; http: { paths: { path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }[] } }[];
  };
}

const documents = (text: string): Manifest[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest)
    .filter(Boolean);
const manifests = (file: string): Manifest[] => documents(fs.readFileSync(path.join(K8S, file), 'utf8'));
const base = (): Manifest[] =>
  (parse(fs.readFileSync(path.join(K8S, 'base/kustomization.yaml'), 'utf8')) as { resources: string[] }).resources.flatMap((file) => manifests(`base/${file}`));
const ofKind = (docs: Manifest[], kind: string) => docs.filter((d) => d.kind === kind);

/** Whether a pod with these labels is chosen by a label selector (matchLabels and the In/NotIn/Exists expressions). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((e) =>
    e.operator === 'In'
      ? e.values.includes(labels[e.key])
      : e.operator === 'NotIn'
        ? !e.values.includes(labels[e.key])
        : e.operator === 'Exists'
          ? e.key in labels
          : false,
  );
  return byLabels && byExpressions;
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('Kubernetes manifests', () => {
  it.each(SERVICES)('run %s with health probes, shared config and a migration job for a file that exists', (service) => {
    const docs = manifests(`base/${service}.yaml`);
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const container = deployment?.spec.template.spec.containers[0];
    expect(container?.env).toContainEqual({ name: 'SERVICE', value: service });
    expect(container?.readinessProbe?.httpGet.path).toBe('/health/ready');
    expect(container?.livenessProbe?.httpGet.path).toBe('/health/live');
    expect(container?.envFrom).toHaveLength(2);
    // The autoscaler owns the replica count: a fixed one would be put back on every apply.
    expect(deployment?.spec.replicas).toBeUndefined();

    const job = docs.find((d) => d.kind === 'Job');
    const command = job?.spec.template.spec.containers[0].command ?? [];
    expect(command.slice(0, 2)).toEqual(['node', `dist/apps/${service}/src/migrate.js`]);
    expect(fs.existsSync(path.join(REPO_ROOT, `apps/${service}/src/migrate.ts`))).toBe(true);
    // Network policies open Postgres to Ledgerline's pods by label: the job's pods carry it too.
    expect(job?.spec.template.metadata?.labels?.['app.kubernetes.io/part-of']).toBe('ledgerline');
  });

  it('lists every manifest of the base in its kustomization, and the root builds the base', () => {
    const kustomization = parse(fs.readFileSync(path.join(K8S, 'base/kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = fs.readdirSync(path.join(K8S, 'base')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect((parse(fs.readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources).toEqual(['base']);
  });

  it('autoscales every service, connections least, the consumers no further than their topics have partitions', () => {
    const docs = base();
    const autoscalers = ofKind(docs, 'HorizontalPodAutoscaler');
    const deployments = ofKind(docs, 'Deployment').map((d) => d.metadata.name);
    expect(autoscalers.map((a) => a.spec.scaleTargetRef.name).sort()).toEqual([...SERVICES].sort());
    for (const autoscaler of autoscalers) {
      expect(autoscaler.apiVersion).toBe('autoscaling/v2');
      expect(autoscaler.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
      expect(deployments).toContain(autoscaler.spec.scaleTargetRef.name);
      expect(autoscaler.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec.maxReplicas).toBeGreaterThanOrEqual(autoscaler.spec.minReplicas);
      expect(autoscaler.spec.metrics.length).toBeGreaterThan(0);
    }
    const max = (name: string) => autoscalers.find((a) => a.metadata.name === name)?.spec.maxReplicas ?? 0;
    const fewestPartitions = Math.min(...ofKind(manifests('topics/topics.yaml'), 'KafkaTopic').map((t) => t.spec.partitions));
    for (const consumer of CONSUMERS) {
      expect(max('connections')).toBeLessThan(max(consumer));
      expect(max(consumer)).toBeLessThanOrEqual(fewestPartitions);
    }
    expect(fs.readFileSync(path.join(K8S, 'base/autoscaling.yaml'), 'utf8')).toMatch(/connections needs fewer/);
  });

  describe('network policies', () => {
    const docs = base();
    const policies = ofKind(docs, 'NetworkPolicy');
    const podLabels = (name: string) => ofKind(docs, 'Deployment').find((d) => d.metadata.name === name)?.spec.template.metadata?.labels ?? {};
    const namespace = (peer: Peer) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    const ingressTo = (service: string) =>
      policies.filter((p) => p.spec.policyTypes.includes('Ingress') && selects(p.spec.podSelector, podLabels(service))).flatMap((p) => p.spec.ingress ?? []);

    it('deny everything first, in and out', () => {
      const deny = policies.find((p) => p.metadata.name === 'default-deny');
      expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    it('let REST in from the gateway namespace only, webhooks from the ingress, the token endpoint from Ledgerline pods', () => {
      for (const service of ['console', 'contacts', 'documents']) {
        const sources = ingressTo(service).flatMap((rule) => rule.from ?? []);
        expect(sources.map(namespace).filter(Boolean).sort()).toEqual(['api-gateway', 'monitoring']);
      }
      const payments = ingressTo('payments').flatMap((rule) => rule.from ?? []);
      expect(payments.map(namespace).filter(Boolean).sort()).toEqual(['ingress-nginx', 'monitoring']);
      const connections = ingressTo('connections').flatMap((rule) => rule.from ?? []);
      const ownPods = connections.filter((peer) => peer.podSelector && !peer.namespaceSelector);
      expect(ownPods).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'ledgerline' } } }]);
      expect(connections.map(namespace).filter(Boolean).sort()).toEqual(['api-gateway', 'monitoring']);
      // No rule lets in the whole world: every source is named.
      for (const service of SERVICES) for (const rule of ingressTo(service)) expect(rule.from?.length).toBeGreaterThan(0);
    });

    it('let out only DNS, Kafka, Postgres, Xero over HTTPS, connections, and from the console the services its page reaches', () => {
      const egress = policies.filter((p) => p.spec.policyTypes.includes('Egress')).flatMap((p) => p.spec.egress ?? []);
      const ports = [...new Set(egress.flatMap((rule) => (rule.ports ?? []).map((port) => port.port)))].sort();
      expect(ports).toEqual([3001, 3002, 3003, 3004, 443, 53, 5432, 9092, 9093, 9094].sort());
      for (const rule of egress) expect(rule.to?.length).toBeGreaterThan(0);
      const https = egress.find((rule) => rule.ports?.some((port) => port.port === 443));
      expect(https?.to?.[0].ipBlock?.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']));
      // Every Ledgerline pod, migration jobs included, is covered by the egress rules it needs.
      for (const job of ofKind(docs, 'Job')) {
        const labels = job.spec.template.metadata?.labels ?? {};
        const reaches = policies.filter((p) => p.spec.policyTypes.includes('Egress') && selects(p.spec.podSelector, labels)).map((p) => p.metadata.name);
        expect(reaches).toEqual(expect.arrayContaining(['egress-dns', 'egress-postgres']));
      }
    });

    it('name only ports the pods declare', () => {
      for (const policy of policies) {
        for (const rule of policy.spec.ingress ?? []) {
          for (const port of rule.ports ?? []) {
            for (const service of SERVICES.filter((s) => selects(policy.spec.podSelector, podLabels(s)))) {
              const declared = ofKind(docs, 'Deployment')
                .find((d) => d.metadata.name === service)
                ?.spec.template.spec.containers[0].ports?.map((p) => p.name);
              if (typeof port.port === 'string') expect(declared).toContain(port.port);
            }
          }
        }
      }
    });
  });

  it('exposes only the webhook route through the example Ingress, to a port the Service has', () => {
    const [ingress] = manifests('base/ingress.yaml');
    const routes = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    expect(routes).toEqual([{ path: '/v1/webhooks/xero', pathType: 'Exact', backend: { service: { name: 'payments', port: { name: 'http' } } } }]);
    const service = manifests('base/payments.yaml').find((d) => d.kind === 'Service') as unknown as { spec: { ports: { name: string }[] } };
    expect(service.spec.ports.map((p) => p.name)).toContain('http');
  });

  describe('topics', () => {
    const topics = ofKind(manifests('topics/topics.yaml'), 'KafkaTopic');

    it('are declared for what the services consume and produce, with their dead-letter topics (npm run k8s:topics --check)', () => {
      const check = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(REPO_ROOT, 'tools/k8s/generate-topics.ts'), '--check'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
        timeout: 50_000,
      });
      expect(check.status === 0 ? 'up to date' : check.stderr).toBe('up to date');
      const names = topics.map((t) => t.spec.topicName);
      for (const topic of ['invoice.requested', 'invoice.requested.dlq', 'invoice.created', 'client.upserted.dlq', 'xero.connection.connected.dlq'])
        expect(names).toContain(topic);
    });

    it('each have partitions, replicas and a retention, dead letters kept longer', () => {
      for (const topic of topics) {
        expect(topic.apiVersion).toBe('kafka.strimzi.io/v1beta2');
        expect(topic.metadata.labels?.['strimzi.io/cluster']).toBeTruthy();
        expect(topic.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
        expect(topic.spec.partitions).toBeGreaterThanOrEqual(3);
        expect(topic.spec.replicas).toBeGreaterThanOrEqual(3);
        expect(Number(topic.spec.config['retention.ms'])).toBeGreaterThan(0);
      }
      const retention = (name: string) => Number(topics.find((t) => t.spec.topicName === name)?.spec.config['retention.ms']);
      expect(retention('invoice.requested.dlq')).toBeGreaterThan(retention('invoice.requested'));
    });
  });

  describe('overlays', () => {
    const overlays = ['dev', 'prod'];

    it.each(overlays)('%s builds on the base, with patches that target kinds the base has', (overlay) => {
      const kustomization = parse(fs.readFileSync(path.join(K8S, 'overlays', overlay, 'kustomization.yaml'), 'utf8')) as {
        resources: string[];
        patches: { target: { kind: string; name?: string } }[];
      };
      expect(kustomization.resources).toContain('../../base');
      for (const resource of kustomization.resources) expect(fs.existsSync(path.join(K8S, 'overlays', overlay, resource, 'kustomization.yaml'))).toBe(true);
      const kinds = new Set(base().map((d) => d.kind));
      for (const patch of kustomization.patches) expect(kinds).toContain(patch.target.kind);
    });

    (kubectl ? it.each(overlays) : it.skip.each(overlays))('%s builds with kubectl kustomize', (overlay) => {
      const built = spawnSync('kubectl', ['kustomize', path.join(K8S, 'overlays', overlay)], { encoding: 'utf8', timeout: 30_000 });
      expect(built.status === 0 ? 'built' : built.stderr).toBe('built');
      const docs = documents(built.stdout);
      const config = docs.find((d) => d.kind === 'ConfigMap')?.data ?? {};
      const deployments = ofKind(docs, 'Deployment');
      expect(deployments).toHaveLength(SERVICES.length);
      for (const deployment of deployments) expect(deployment.spec.template.spec.containers[0].resources?.requests?.memory).toMatch(/^\d+Mi$/);
      if (overlay === 'prod') {
        expect(config).toMatchObject({
          KAFKA_CREATE_TOPICS: 'false',
          KAFKA_SSL: 'true',
          KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
          KAFKA_SSL_CA_FILE: '/etc/ledgerline/kafka-ca/ca.crt',
        });
        expect(ofKind(docs, 'KafkaTopic').length).toBe(ofKind(manifests('topics/topics.yaml'), 'KafkaTopic').length);
        expect(ofKind(docs, 'KafkaTopic').every((t) => t.metadata.namespace === 'kafka')).toBe(true);
        const secret = docs.find((d) => d.kind === 'Secret') as unknown as { stringData: Record<string, string> };
        expect(secret.stringData.DATABASE_URL).toContain('sslmode=verify-full');
        expect(secret.stringData.KAFKA_SASL_PASSWORD).toBeDefined();
      } else {
        expect(config.KAFKA_CREATE_TOPICS).toBe('true');
        expect(ofKind(docs, 'KafkaTopic')).toHaveLength(0);
        expect(ofKind(docs, 'HorizontalPodAutoscaler').every((a) => a.spec.minReplicas === 1)).toBe(true);
      }
    });

    (kubectl ? it : it.skip)('the root still builds the base with kubectl kustomize', () => {
      const built = spawnSync('kubectl', ['kustomize', K8S], { encoding: 'utf8', timeout: 30_000 });
      expect(built.status === 0 ? 'built' : built.stderr).toBe('built');
      expect(ofKind(documents(built.stdout), 'NetworkPolicy').length).toBeGreaterThan(5);
    });
  });
});

/**
 * Kubernetes' own API schemas for the kinds Ledgerline declares (from fabric8's kubernetes-model jars, made strict:
 * see tools/k8s/vendor-kubernetes-schema.cjs). Strimzi's KafkaTopic is a custom resource they do not cover.
 */
describe('Kubernetes manifests against the Kubernetes API schemas', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema({ $id: 'kubernetes', definitions: kubernetesSchema.definitions });
  const kinds = kubernetesSchema.kinds as Record<string, string>;
  const CUSTOM_RESOURCES = ['kafka.strimzi.io/v1beta2/KafkaTopic'];

  /** Each manifest's problems, as `Kind/name: path message`; empty when every one is valid. */
  function problems(docs: Manifest[]): string[] {
    return docs
      .filter((doc) => !CUSTOM_RESOURCES.includes(`${doc.apiVersion}/${doc.kind}`))
      .flatMap((doc) => {
        const definition = kinds[`${doc.apiVersion}/${doc.kind}`];
        if (!definition) return [`${doc.apiVersion}/${doc.kind}: no schema for this kind`];
        const validate = ajv.getSchema(`kubernetes#/definitions/${definition}`)!;
        if (validate(doc)) return [];
        return (validate.errors ?? []).map(
          (e) =>
            `${doc.kind}/${doc.metadata?.name}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`,
        );
      });
  }

  it('finds every manifest of the base valid', () => {
    const docs = base();
    expect(docs.length).toBeGreaterThan(20);
    expect(problems(docs)).toEqual([]);
  });

  it('finds a misspelt field, a wrong type and a wrong apiVersion', () => {
    const [deployment] = ofKind(base(), 'Deployment');
    const misspelt = { ...deployment, spec: { ...deployment.spec, replica: 2 } } as unknown as Manifest;
    const containers = deployment.spec.template.spec.containers.map((c) => ({ ...c, ports: [{ name: 'http', containerPort: 'eighty' }] }));
    const wrongType = {
      ...deployment,
      spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, containers } } },
    } as unknown as Manifest;
    expect(problems([misspelt])).toEqual([expect.stringContaining('/spec must NOT have additional properties (replica)')]);
    expect(problems([wrongType])).toEqual([expect.stringContaining('/spec/template/spec/containers/0/ports/0/containerPort must be integer')]);
    expect(problems([{ ...deployment, apiVersion: 'extensions/v1beta1' }])).toEqual(['extensions/v1beta1/Deployment: no schema for this kind']);
  });

  const overlays = fs.readdirSync(path.join(K8S, 'overlays'));
  (kubectl ? it.each(overlays) : it.skip.each(overlays))('finds every manifest kubectl kustomize builds for %s valid', (overlay) => {
    const built = spawnSync('kubectl', ['kustomize', path.join(K8S, 'overlays', overlay)], { encoding: 'utf8', timeout: 30_000 });
    expect(built.status === 0 ? 'built' : built.stderr).toBe('built');
    expect(problems(documents(built.stdout))).toEqual([]);
  });
});

describe('the image build', () => {
  it('resolves every library the code imports (.swcrc paths match tsconfig.base.json)', () => {
    const tsconfig = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } })
      .compilerOptions.paths;
    const swc = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.swcrc'), 'utf8')) as { jsc: { paths: Record<string, string[]> } }).jsc.paths;
    expect(swc).toEqual(tsconfig);
  });
});

describe('docker-compose.yml', () => {
  it('runs Kafka, Postgres, the sandbox and every service from the one image', () => {
    const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; image?: string }>;
    };
    expect(compose.services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(compose.services.postgres).toBeDefined();
    // docker-compose runs the services an integrating system needs; the console runs with `npm start` and in Kubernetes.
    for (const service of [...SERVICES.filter((s) => s !== 'console'), 'xero-sandbox']) {
      expect(compose.services[service].environment?.SERVICE).toBe(service);
    }
  });
});
