import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redact, redactString, registerSecret } from '../../src/core/redact.js';

afterEach(() => clearRegisteredSecrets());

describe('redaction', () => {
  it.each([
    [
      'https://abc.kinesisanalytics.us-east-1.amazonaws.com/flinkdashboard/jobs?authToken=eyJhbGciOiJIUzI1NiJ9.abc.def',
      'https://abc.kinesisanalytics.us-east-1.amazonaws.com/flinkdashboard/jobs?authToken=[REDACTED]',
    ],
    ['GET /x?a=1&authToken=s3cr3t&b=2 failed', 'GET /x?a=1&authToken=[REDACTED]&b=2 failed'],
    [
      'posting to https://hooks.slack.com/services/T000/B000/XXXXXXXX',
      'posting to https://hooks.slack.com/[REDACTED]',
    ],
    ['Authorization: Bearer abcdefghijklmnop', 'Authorization: Bearer [REDACTED]'],
    ['sasl password=hunter22 user=admin', 'sasl password=[REDACTED] user=admin'],
    ['{"password":"hunter22"}', '{"password":"[REDACTED]"}'],
    ['https://admin:hunter22@broker:9096', 'https://admin:[REDACTED]@broker:9096'],
    ['X-Amz-Signature=abcdef0123&X-Amz-Date=1', 'X-Amz-Signature=[REDACTED]&X-Amz-Date=1'],
    // Token-named keys in JSON or YAML text (an error body echoed into a message).
    ['HTTP 400: {"authToken":"abcdEFGH1234","x":1}', 'HTTP 400: {"authToken":"[REDACTED]","x":1}'],
    ['{"token": "abcdEFGH1234"}', '{"token": "[REDACTED]"}'],
    ['sessionToken: FwoGZXIvYXdzEJr', 'sessionToken: [REDACTED]'],
    ['{"access_token":"ya29.abc"}', '{"access_token":"[REDACTED]"}'],
    // Secret-path webhooks besides Slack and Teams.
    [
      'POST https://discord.com/api/webhooks/123/abcdef failed',
      'POST https://discord.com/api/webhooks/[REDACTED] failed',
    ],
  ])('masks %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('masks registered secret values wherever they appear', () => {
    registerSecret('correct-horse-battery');
    expect(redactString('login failed for admin/correct-horse-battery at broker 1')).toBe(
      'login failed for admin/[REDACTED] at broker 1',
    );
  });

  it('masks secret-named keys in structured data without touching other fields', () => {
    const out = redact({
      user: 'admin',
      password: 'x1234',
      nested: [{ AuthorizedUrl: 'https://h/flinkdashboard?authToken=t' }],
      n: 3,
    });
    expect(out).toEqual({
      user: 'admin',
      password: '[REDACTED]',
      nested: [{ AuthorizedUrl: '[REDACTED]' }],
      n: 3,
    });
  });

  it.each([['{"NextToken":"page-2"}'], ['tokens: 3 of 10 used']])(
    'leaves token-like words that are not secrets alone: %s',
    (text) => {
      expect(redactString(text)).toBe(text);
    },
  );

  it('leaves ordinary text alone', () => {
    const text = 'broker 3: disk 81.2% used (critical at 80%); token bucket refilled';
    expect(redactString(text)).toBe(text);
  });
});
