import { describe, expect, it } from 'vitest';
import {
  classifyLoop,
  DEFAULT_HEALTHY_GAP_MS,
  type FailureEntry,
} from '../../../src/healer/classify/index.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const NPE =
  'java.lang.NullPointerException\n\tat com.acme.Enrich.map(Enrich.java:42)\n\tat org.apache.flink.streaming.api.operators.StreamMap.processElement(StreamMap.java:38)';
const PARTIAL =
  'java.lang.UnsupportedOperationException: Partial recovery is not supported\n\tat org.apache.flink.connector.kinesis.source.reader.KinesisStreamsSourceReader.addSplitsBack(KinesisStreamsSourceReader.java:80)';
const OLD = 'org.apache.kafka.common.errors.TimeoutException: Timeout expired while fetching topic metadata';

// exceptionHistory order: newest first.
const loop = (gapMs: number): FailureEntry[] => [
  { timestamp: T0 + gapMs + 20_000, stacktrace: PARTIAL },
  { timestamp: T0 + gapMs + 10_000, stacktrace: PARTIAL },
  { timestamp: T0 + gapMs, stacktrace: NPE },
  { timestamp: T0, stacktrace: OLD },
];

describe('classifyLoop', () => {
  it('classifies the first failure after the last healthy period, not the masking later ones', () => {
    const r = classifyLoop(loop(DEFAULT_HEALTHY_GAP_MS + 1));
    expect(r?.index).toBe(2);
    expect(r?.loopSize).toBe(3);
    expect(r?.classification.verdict).toBe('user');
    expect(r?.classification.subtype).toBe('npe-in-user-function');
  });

  it('treats failures closer than the healthy gap as one loop (gap boundary)', () => {
    const r = classifyLoop(loop(DEFAULT_HEALTHY_GAP_MS));
    expect(r?.index).toBe(3);
    expect(r?.loopSize).toBe(4);
  });

  it('accepts ISO timestamps and a custom gap', () => {
    const entries = loop(60_000).map((e) => ({
      ...e,
      timestamp: new Date(Number(e.timestamp)).toISOString(),
    }));
    expect(classifyLoop(entries, {}, { healthyGapMs: 30_000 })?.index).toBe(2);
  });

  it('measures a recent change against the first failure, not against now', () => {
    const entries = loop(DEFAULT_HEALTHY_GAP_MS + 1);
    const firstAt = T0 + DEFAULT_HEALTHY_GAP_MS + 1;
    const r = classifyLoop(entries, {
      recentChange: { kind: 'UpdateApplication', at: firstAt - 5 * 60_000 },
    });
    expect(r?.classification.signals.some((s) => s.rule === 'recent-owner-change')).toBe(true);
  });

  it('takes the oldest entry (last in Flink order) when timestamps are missing', () => {
    const r = classifyLoop([
      { timestamp: 'n/a', stacktrace: PARTIAL },
      { timestamp: 'n/a', stacktrace: NPE },
    ]);
    expect(r?.index).toBe(1);
  });

  it('returns undefined for no entries', () => {
    expect(classifyLoop([])).toBeUndefined();
  });
});
