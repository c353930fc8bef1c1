import { expect, it } from 'vitest';
import { statusInMessage } from '../../../src/probes/managed-flink/errors.js';

it.each([
  ['Application x is in READY status; this operation is allowed only when RUNNING', 'READY'],
  ['Application orders is currently UPDATING', 'UPDATING'],
  ['Operation allowed only in RUNNING, UPDATING, AUTOSCALING; application is ROLLING_BACK', 'ROLLING_BACK'],
  ['Application is RUNNING', 'RUNNING'],
  ['no status here', undefined],
])('%s', (m, s) => expect(statusInMessage(m)).toBe(s));
