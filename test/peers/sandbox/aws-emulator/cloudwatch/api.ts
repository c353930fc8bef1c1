/**
 * CloudWatch (AWS JSON 1.0, X-Amz-Target `GraniteServiceVersion20100801.<Operation>`, query-compatible
 * errors): GetMetricData over the metric store, alarms and alarm tags.
 */
import type { EmulatorClock } from '../clock.js';
import { err } from '../errors.js';
import type { AlarmStore } from './alarms.js';
import { getMetricData } from './get-metric-data.js';
import type { MetricStore } from './store.js';

type Body = Record<string, unknown>;

export function cloudWatchOperations(
  store: MetricStore,
  alarms: AlarmStore,
  clock: EmulatorClock,
): Record<string, (b: Body) => unknown> {
  const arnOf = (b: Body) => {
    if (typeof b.ResourceARN !== 'string') throw err.cwValidation('ResourceARN is required.');
    return b.ResourceARN;
  };
  return {
    GetMetricData(b) {
      return getMetricData(store, b);
    },
    PutMetricAlarm(b) {
      alarms.put(b, clock.now());
      return {};
    },
    DescribeAlarms(b) {
      return alarms.describe(b);
    },
    DeleteAlarms(b) {
      alarms.delete(b);
      return {};
    },
    TagResource(b) {
      alarms.tag(arnOf(b), Array.isArray(b.Tags) ? (b.Tags as Body[]) : []);
      return {};
    },
    UntagResource(b) {
      alarms.untag(arnOf(b), Array.isArray(b.TagKeys) ? b.TagKeys : []);
      return {};
    },
    ListTagsForResource(b) {
      return alarms.listTags(arnOf(b));
    },
  };
}
