import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../../src/core/redact.js';
import { createDaemonLogger } from '../../../src/services/healer/logger.js';

describe('daemon logs never carry secrets', () => {
  it('secret keys, registered secrets, authToken= and webhook URLs are masked, in fields and messages', () => {
    let out = '';
    const log = createDaemonLogger(
      'info',
      new Writable({
        write(c, _e, cb) {
          out += c;
          cb();
        },
      }),
    );
    registerSecret('s3cr3t-presigned-value');
    log.warn(
      {
        token: 'abc',
        nested: { authorizedUrl: 'https://x/flinkdashboard?authToken=zzz' },
        error: 'GET https://x/flinkdashboard/jobs?authToken=qqqqqq failed; saw s3cr3t-presigned-value',
      },
      'posting to https://hooks.slack.com/services/T000/B000/XXXX failed',
    );
    const line = JSON.parse(out.trim());
    expect(line.token).toBe('[REDACTED]');
    expect(line.nested.authorizedUrl).toBe('[REDACTED]');
    expect(line.error).not.toContain('qqqqqq');
    expect(line.error).not.toContain('s3cr3t-presigned-value');
    expect(line.msg).not.toContain('XXXX');
    expect(line).toMatchObject({ level: 'warn', service: 'streamctl-healer' });
  });
});
