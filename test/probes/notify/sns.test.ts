import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, registerSecret } from '../../../src/core/redact.js';
import { createSnsPublisher, sanitizeSubject } from '../../../src/probes/notify/sns.js';
import { awsException, strictMock } from '../aws-mock.js';

const sns = mockClient(SNSClient);
const pub = createSnsPublisher(new SNSClient({ region: 'us-east-1' }));
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamctl-pages';

beforeEach(() => {
  strictMock(sns);
  clearRegisteredSecrets();
});

describe('SNS publish', () => {
  it('publishes subject and message to the topic', async () => {
    sns
      .on(
        PublishCommand,
        { TopicArn: TOPIC, Subject: 'orders-enricher rolled back', Message: 'details' },
        true,
      )
      .resolves({ MessageId: 'm-1' });
    expect(await pub.publish(TOPIC, 'orders-enricher rolled back', 'details')).toEqual({ messageId: 'm-1' });
  });

  it('never sends a presigned URL or a registered secret', async () => {
    registerSecret('hunter2-password');
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await pub.publish(
      TOPIC,
      'x',
      'see https://h.amazonaws.com/flinkdashboard?authToken=TOKEN-42 and hunter2-password',
    );
    const sent = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(sent).not.toContain('TOKEN-42');
    expect(sent).not.toContain('hunter2-password');
  });

  it.each([
    ['Loop on\norders', 'Loop on orders'],
    ['  café\tünits ', 'caf nits'],
    ['plain', 'plain'],
  ])('sanitizes the subject %j to %j', (input, expected) => {
    expect(sanitizeSubject(input)).toBe(expected);
  });

  it.each([
    [100, 100],
    [101, 100],
  ])('cuts a %i-character subject to %i', (n, max) => {
    expect(sanitizeSubject('a'.repeat(n)).length).toBe(max);
  });

  it('maps an authorization error', async () => {
    sns.on(PublishCommand).rejects(awsException('AuthorizationErrorException', 'not allowed', 403));
    await expect(pub.publish(TOPIC, 's', 'm')).rejects.toMatchObject({ code: 'NOPERM' });
  });
});
