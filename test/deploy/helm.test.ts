import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseConfigText } from '../../src/config/load.js';
import { renderChart } from './helm-render.js';

const CHART = fileURLToPath(new URL('../../deploy/helm/streamctl-healer', import.meta.url));

// Rendered Kubernetes objects are walked by path in the assertions below.
// biome-ignore lint/suspicious/noExplicitAny: see above
type K8sObject = Record<string, any>;

/** Every rendered Kubernetes object, by kind. */
function objects(valuesFiles: string[]) {
  const docs = renderChart(CHART, valuesFiles).flatMap((t) =>
    parseAllDocuments(t.text).map((d) => {
      if (d.errors.length) throw new Error(`${t.file}: ${d.errors[0]!.message}\n${t.text}`);
      return d.toJS() as K8sObject | null;
    }),
  );
  const objs = docs.filter((d): d is K8sObject => d !== null);
  for (const o of objs) expect(o.apiVersion && o.kind && o.metadata?.name, JSON.stringify(o)).toBeTruthy();
  const byKind = (k: string) => objs.filter((o) => o.kind === k);
  const cfgText = byKind('ConfigMap')[0]!.data['streamctl.yaml'] as string;
  return { objs, byKind, config: parseConfigText(cfgText, 'configmap streamctl.yaml'), cfgText };
}

// `helm template` is not installed on this machine: the chart's templates are rendered by a
// renderer of the subset they use (helm-render.ts) and the result is validated as YAML, as
// Kubernetes objects, and the embedded streamctl.yaml with streamctl's own config schema.
describe('Helm chart deploy/helm/streamctl-healer', () => {
  it('single node (values.yaml): one replica, Recreate, SQLite on a volume, no database secret', () => {
    const { byKind, config } = objects([]);
    const dep = byKind('Deployment')[0]!;
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy.type).toBe('Recreate');
    expect(byKind('PersistentVolumeClaim')).toHaveLength(1);
    const c = dep.spec.template.spec.containers[0];
    expect(c.env).toBeUndefined();
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain('/var/lib/streamctl');
    expect(config.healer.store.url).toBeUndefined();
    expect(config.healer.journal).toBe('/var/lib/streamctl/journal.db');
    expect(config.healer.mode).toBe('dry-run');
  });

  it('HA (values-ha-postgres.yaml): 2 replicas spread over nodes, the store URL from a Secret, no volume', () => {
    const { byKind, config, cfgText } = objects(['values-ha-postgres.yaml']);
    const dep = byKind('Deployment')[0]!;
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy.type).toBe('RollingUpdate');
    expect(dep.spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(byKind('PersistentVolumeClaim')).toHaveLength(0);
    const c = dep.spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'STREAMCTL_STORE_URL', valueFrom: { secretKeyRef: { name: 'streamctl-store', key: 'url' } } },
    ]);
    expect(config.healer.store).toMatchObject({
      url: { env: 'STREAMCTL_STORE_URL' },
      leaseTtl: '15s',
      shards: 1,
    });
    expect(config.healer.mode).toBe('act');
    expect(cfgText).not.toMatch(/postgres:\/\//); // the URL (a password) never in the ConfigMap
  });

  it('matches `helm template` when helm is installed', () => {
    const helm = spawnSync('helm', ['version'], { encoding: 'utf8' });
    if (helm.status !== 0) return; // not installed here: the renderer above stands in
    const r = spawnSync(
      'helm',
      ['template', 'streamctl-healer', CHART, '-f', `${CHART}/values-ha-postgres.yaml`],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('STREAMCTL_STORE_URL');
  });
});
