import { StreamctlError, usageError } from '../core/errors.js';
import { Sysexit } from '../core/exit-codes.js';
import type { ClusterSnapshot } from '../domain/snapshot.js';

import type { BrokerType } from '../monitors/msk-limits.js';

/** Which kind of brokers the cluster has (the monitors' type): it decides which goals make sense. */
export type { BrokerType };

/** The broker types, for flags and validation. */
export const BROKER_TYPES: readonly BrokerType[] = ['self-managed', 'standard', 'express', 'serverless'];

/**
 * The broker type of a plan: the option when given, else the snapshot's `brokerType` field, else
 * self-managed (today's goals). MSK Serverless is refused: it has no brokers to balance.
 */
export function resolveBrokerType(snapshot: ClusterSnapshot, option: BrokerType | undefined): BrokerType {
  const raw = (snapshot as unknown as { brokerType?: unknown }).brokerType;
  if (option === undefined && raw !== undefined && !BROKER_TYPES.includes(raw as BrokerType)) {
    throw usageError(
      `the snapshot's brokerType is ${JSON.stringify(raw)}; expected one of ${BROKER_TYPES.join(', ')}`,
    );
  }
  const t = option ?? (raw as BrokerType | undefined) ?? 'self-managed';
  if (t === 'serverless') {
    throw new StreamctlError(
      'NOT_APPLICABLE',
      `${snapshot.cluster} is an MSK Serverless cluster: it has no brokers to balance (MSK places and moves partitions itself)`,
      {
        exitCode: Sysexit.USAGE,
        hint: 'Nothing to do: rebalancing applies to MSK Provisioned (Standard or Express) and self-managed clusters.',
      },
    );
  }
  return t;
}
