import { InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEmulator } from './helpers.js';

describe('emulated SNS Publish (AWS Query protocol)', () => {
  let ctx: Awaited<ReturnType<typeof startFakeEmulator>>;
  let sns: SNSClient;
  const TOPIC = 'arn:aws:sns:us-east-1:123456789012:streamctl-pages';
  beforeAll(async () => {
    ctx = await startFakeEmulator();
    sns = new SNSClient({
      endpoint: ctx.emu.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await ctx.emu.stop();
  });

  it('accepts a page and keeps it for the test to read', async () => {
    const r = await sns.send(
      new PublishCommand({ TopicArn: TOPIC, Subject: 'orders rolled back', Message: 'details & more <b>' }),
    );
    expect(r.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.emu.control.snsMessages(TOPIC)).toEqual([
      expect.objectContaining({
        subject: 'orders rolled back',
        message: 'details & more <b>',
        messageId: r.MessageId,
      }),
    ]);
    expect(ctx.emu.control.callCounts()['sns.Publish']).toBe(1);
  });

  it.each([
    ['a malformed topic ARN', { TopicArn: 'not-an-arn', Message: 'x' }],
    ['an empty message', { TopicArn: TOPIC, Message: '' }],
  ])('rejects %s with InvalidParameterException', async (_what, input) => {
    await expect(sns.send(new PublishCommand(input))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
