/**
 * The fake cluster's dynamic configs: per resource (topic, broker, cluster-wide broker default)
 * key/value maps with Kafka's incremental semantics (set, delete, append to / subtract from a
 * comma-separated list) and a log of every operation applied, in order, for tests to assert on.
 */
import type { ConfigChange, ConfigEntry, ConfigResourceType } from '../../../src/probes/kafka-admin/port.js';

/** One recorded config operation, in the order the fake applied it. */
export interface RecordedConfigOp {
  type: ConfigResourceType;
  name: string;
  key: string;
  op: 'set' | 'delete' | 'append' | 'subtract';
  value?: string;
}

const SOURCE = {
  topic: 'dynamic-topic',
  broker: 'dynamic-broker',
  'broker-default': 'dynamic-default-broker',
} as const;

/** Dynamic configs of the fake cluster. */
export class FakeConfigStore {
  /** Every operation applied, in order. */
  readonly log: RecordedConfigOp[] = [];
  private readonly maps = new Map<string, Map<string, string>>();

  private static key(type: ConfigResourceType, name: string): string {
    return `${type}\u0000${type === 'broker-default' ? '' : name}`;
  }

  private map(type: ConfigResourceType, name: string): Map<string, string> {
    const k = FakeConfigStore.key(type, name);
    let m = this.maps.get(k);
    if (!m) {
      m = new Map();
      this.maps.set(k, m);
    }
    return m;
  }

  /** The current value of a key (undefined when not set). */
  value(type: ConfigResourceType, name: string, key: string): string | undefined {
    return this.maps.get(FakeConfigStore.key(type, name))?.get(key);
  }

  /** Sets a value without recording it (topic configs given at creation). */
  preset(type: ConfigResourceType, name: string, key: string, value: string): void {
    this.map(type, name).set(key, value);
  }

  /** Forgets a resource (a deleted topic). */
  drop(type: ConfigResourceType, name: string): void {
    this.maps.delete(FakeConfigStore.key(type, name));
  }

  /** Applies one resource's operations and records them. */
  apply(change: ConfigChange): void {
    const m = this.map(change.type, change.name);
    for (const o of change.ops) {
      const list = (m.get(o.name) ?? '').split(',').filter(Boolean);
      const items = (o.value ?? '').split(',').filter(Boolean);
      if (o.op === 'set') m.set(o.name, o.value as string);
      else if (o.op === 'delete') m.delete(o.name);
      else if (o.op === 'append')
        m.set(o.name, [...list, ...items.filter((v) => !list.includes(v))].join(','));
      else m.set(o.name, list.filter((v) => !items.includes(v)).join(','));
      this.log.push({
        type: change.type,
        name: change.name,
        key: o.name,
        op: o.op,
        ...(o.value === undefined ? {} : { value: o.value }),
      });
    }
  }

  /**
   * The entries describe shows: the resource's own values, and for a broker the cluster-wide
   * defaults under them. Like Kafka for dynamic-only keys (throttles), a key with no value
   * anywhere is not listed.
   */
  entries(type: 'broker' | 'topic', name: string, names: string[] | undefined): ConfigEntry[] {
    const own = this.maps.get(FakeConfigStore.key(type, name)) ?? new Map<string, string>();
    const defaults =
      type === 'broker'
        ? (this.maps.get(FakeConfigStore.key('broker-default', '')) ?? new Map<string, string>())
        : new Map<string, string>();
    const keys = names ?? [...new Set([...own.keys(), ...defaults.keys()])];
    const out: ConfigEntry[] = [];
    for (const k of keys) {
      const v = own.get(k);
      const d = defaults.get(k);
      if (v !== undefined)
        out.push({ name: k, value: v, source: SOURCE[type], readOnly: false, sensitive: false });
      else if (d !== undefined)
        out.push({ name: k, value: d, source: SOURCE['broker-default'], readOnly: false, sensitive: false });
    }
    return out;
  }
}
