import { describe, expect, it } from 'vitest';
import { partitionLimitFor } from '../../src/monitors/msk-limits.js';

describe('partitionLimitFor', () => {
  it.each([
    ['kafka.t3.small', 'standard', 300, 300],
    ['kafka.m5.large', 'standard', 1000, 1500],
    ['kafka.m7g.xlarge', 'standard', 1000, 1500],
    ['kafka.m5.2xlarge', 'standard', 2000, 3000],
    ['kafka.m5.4xlarge', 'standard', 4000, 6000],
    ['kafka.m5.24xlarge', 'standard', 4000, 6000],
    ['express.m7g.large', 'express', 1000, 1500],
    ['express.m7g.xlarge', 'express', 1000, 2000],
    ['express.m7g.4xlarge', 'express', 6000, 8000],
    ['express.m7g.16xlarge', 'express', 20000, 32000],
  ] as const)('%s (%s) → %i recommended, %i maximum', (type, brokerType, rec, max) => {
    expect(partitionLimitFor(type, brokerType)).toMatchObject({ recommended: rec, maximum: max });
  });

  it.each([[undefined], ['m5.large'], ['kafka.m5.metal'], ['express.m7g.2xl']])(
    'is undefined for %s',
    (type) => {
      expect(partitionLimitFor(type)).toBeUndefined();
    },
  );
});
