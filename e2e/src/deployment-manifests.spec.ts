import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@ledgerline/testing';
import { parse, parseAllDocuments } from 'yaml';

const SERVICES = ['connections', 'contacts', 'documents', 'payments'];

interface Container {
  env?: { name: string; value: string }[];
  command?: string[];
  readinessProbe?: { httpGet: { path: string } };
  livenessProbe?: { httpGet: { path: string } };
  envFrom?: unknown[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[] } } };
}

const manifests = (file: string): Manifest[] =>
  parseAllDocuments(fs.readFileSync(path.join(REPO_ROOT, 'k8s', file), 'utf8')).map((doc) => doc.toJS() as Manifest);

describe('Kubernetes manifests', () => {
  it.each(SERVICES)('run %s with health probes, shared config and a migration job for a file that exists', (service) => {
    const docs = manifests(`${service}.yaml`);
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const container = deployment?.spec.template.spec.containers[0];
    expect(container?.env).toContainEqual({ name: 'SERVICE', value: service });
    expect(container?.readinessProbe?.httpGet.path).toBe('/health/ready');
    expect(container?.livenessProbe?.httpGet.path).toBe('/health/live');
    expect(container?.envFrom).toHaveLength(2);

    const job = docs.find((d) => d.kind === 'Job');
    const command = job?.spec.template.spec.containers[0].command ?? [];
    expect(command.slice(0, 2)).toEqual(['node', `dist/apps/${service}/src/migrate.js`]);
    expect(fs.existsSync(path.join(REPO_ROOT, `apps/${service}/src/migrate.ts`))).toBe(true);
  });

  it('lists every manifest in the kustomization', () => {
    const kustomization = parse(fs.readFileSync(path.join(REPO_ROOT, 'k8s/kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = fs.readdirSync(path.join(REPO_ROOT, 'k8s')).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });
});

describe('docker-compose.yml', () => {
  it('runs Kafka, Postgres, the sandbox and every service from the one image', () => {
    const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string>; image?: string }>;
    };
    expect(compose.services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(compose.services.postgres).toBeDefined();
    for (const service of [...SERVICES, 'xero-sandbox']) {
      expect(compose.services[service].environment?.SERVICE).toBe(service);
    }
  });
});
