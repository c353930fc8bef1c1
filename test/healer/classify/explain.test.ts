/** The explanation behind a classification: the cause chain with frame owners and the deciding step. */
import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../../src/healer/classify/index.js';
import { classifyInput } from '../../../src/healer/classify/input.js';

const NPE_IN_CONNECTOR = [
  'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
  '\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:180)',
  'Caused by: java.lang.NullPointerException',
  '\tat java.base/java.util.Objects.requireNonNull(Objects.java:209)',
  '\tat org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader.fetch(KafkaPartitionSplitReader.java:120)',
  '\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:568)',
].join('\n');

describe('explainFailure', () => {
  const { classification, explanation } = explainFailure(NPE_IN_CONNECTOR, { now: 0 });

  it('lists the chain outermost first with each cause’s role', () => {
    expect(explanation.chain.map((c) => [c.exception, c.role])).toEqual([
      ['org.apache.flink.runtime.JobException', 'wrapper'],
      ['java.lang.NullPointerException', 'root cause'],
    ]);
  });

  it('names the owner of each frame, JDK plumbing hidden', () => {
    const root = explanation.chain[1];
    expect(root?.frames.map((f) => f.owner)).toEqual(['connector', 'flink']);
    expect(root?.hiddenFrames).toBe(1);
  });

  it('says who threw it and which stage decided', () => {
    expect(classification.verdict).toBe('system');
    expect(explanation.steps.map((s) => s.step)).toEqual(['ownership', 'knowledge', 'decision']);
    expect(explanation.steps[0]?.text).toContain('thrown in connector code');
    expect(explanation.steps[0]?.text).toContain('no job frame');
    expect(explanation.decidedBy).toBe('the failure text');
  });

  it('shows the context step and that context only lowered confidence', () => {
    const x = explainFailure(NPE_IN_CONNECTOR, {
      now: 600_000,
      recentChange: { kind: 'UpdateApplication', at: 400_000 },
    });
    expect(x.classification.verdict).toBe('system');
    expect(x.explanation.steps.map((s) => s.step)).toContain('context');
    expect(x.explanation.decidedBy).toContain('only lowers confidence');
  });

  it('is attached by classifyInput only when asked, and leaves the classification unchanged', () => {
    const plain = classifyInput(NPE_IN_CONNECTOR, { now: 0 });
    const explained = classifyInput(NPE_IN_CONNECTOR, { now: 0 }, { explain: true });
    expect(plain.explanation).toBeUndefined();
    expect(explained.classification).toEqual(plain.classification);
    expect(explained.explanation?.chain).toHaveLength(2);
  });
});
