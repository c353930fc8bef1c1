import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/config/sections/kafka.js';
import { clearRegisteredSecrets, redactString } from '../../../src/core/redact.js';
import { kafkaClientConfig, redactingLogCreator } from '../../../src/probes/kafka-admin/client-config.js';
import { mapKafkaError } from '../../../src/probes/kafka-admin/index.js';

const cluster = (auth: unknown, extra: Record<string, unknown> = {}) =>
  KafkaCluster.parse({ name: 'c1', bootstrap: ['b1:9092'], auth, ...extra });

describe('kafkaClientConfig', () => {
  afterEach(() => {
    delete process.env.C1_PW;
    clearRegisteredSecrets();
  });

  it('PLAINTEXT: brokers only, kafkajs silent', () => {
    const c = kafkaClientConfig(cluster({ type: 'none' }));
    expect(c).toMatchObject({ brokers: ['b1:9092'], clientId: 'streamctl', logLevel: 0 });
    expect(c.ssl).toBeUndefined();
    expect(c.sasl).toBeUndefined();
  });

  it('TLS: reads CA, certificate and key from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    for (const f of ['ca', 'cert', 'key']) writeFileSync(join(dir, f), `-----${f}-----\n`);
    const c = kafkaClientConfig(
      cluster({
        type: 'tls',
        ca: { file: join(dir, 'ca') },
        cert: { file: join(dir, 'cert') },
        key: { file: join(dir, 'key') },
      }),
    );
    expect(c.ssl).toEqual({ ca: '-----ca-----', cert: '-----cert-----', key: '-----key-----' });
  });

  it('TLS without files trusts the system store', () => {
    expect(kafkaClientConfig(cluster({ type: 'tls' })).ssl).toBe(true);
  });

  it('TLS refuses a certificate without its key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'cert'), 'x');
    expect(() => kafkaClientConfig(cluster({ type: 'tls', cert: { file: join(dir, 'cert') } }))).toThrow(
      /cert and key must be given together/,
    );
  });

  it('SCRAM: password from the environment, registered for redaction', () => {
    process.env.C1_PW = 's3cret-pass';
    const c = kafkaClientConfig(
      cluster({
        type: 'scram',
        mechanism: 'scram-sha-256',
        username: 'admin',
        password: { env: 'C1_PW' },
        tls: false,
      }),
    );
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'admin', password: 's3cret-pass' });
    expect(c.ssl).toBe(false);
    expect(redactString('login with s3cret-pass failed')).toBe('login with [REDACTED] failed');
  });

  it('SCRAM: a missing password variable is a config error (78) naming the variable, not the value', () => {
    expect(() =>
      kafkaClientConfig(cluster({ type: 'scram', username: 'admin', password: { env: 'C1_PW' } })),
    ).toThrow(expect.objectContaining({ exitCode: 78, message: expect.stringContaining('C1_PW') }));
  });

  it('MSK IAM: OAUTHBEARER over TLS, region from the ARN, token registered as a secret', async () => {
    const seen: string[] = [];
    const c = kafkaClientConfig(
      cluster({ type: 'msk-iam' }, { msk: { arn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/c1/abc' } }),
      {
        mskToken: async (region) => {
          seen.push(region);
          return { token: 'tok-abcdef123', expiryTime: 0 };
        },
      },
    );
    expect(c.ssl).toBe(true);
    const sasl = c.sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(sasl.mechanism).toBe('oauthbearer');
    expect(await sasl.oauthBearerProvider()).toEqual({ value: 'tok-abcdef123' });
    expect(seen).toEqual(['eu-west-1']);
    expect(redactString('token tok-abcdef123')).toBe('token [REDACTED]');
  });

  it('needs bootstrap servers from config or discovery', () => {
    const msk = KafkaCluster.parse({
      name: 'm',
      msk: { arn: 'arn:aws:kafka:us-east-1:123456789012:cluster/m/x' },
    });
    expect(() => kafkaClientConfig(msk)).toThrow(expect.objectContaining({ exitCode: 78 }));
    expect(kafkaClientConfig(msk, { bootstrap: ['b-1:9098'] }).brokers).toEqual(['b-1:9098']);
  });

  it('routes kafkajs log lines through redaction', () => {
    process.env.C1_PW = 'hunter22-pw';
    kafkaClientConfig(cluster({ type: 'scram', username: 'u', password: { env: 'C1_PW' } }));
    const lines: string[] = [];
    const log = redactingLogCreator((l) => lines.push(l))(4);
    log({
      namespace: 'Connection',
      level: 1,
      label: 'ERROR',
      log: { timestamp: 't', logger: 'kafkajs', message: 'auth hunter22-pw failed', broker: 'b1' } as never,
    });
    expect(lines).toEqual(['kafkajs ERROR [Connection] auth [REDACTED] failed {"broker":"b1"}']);
  });
});

describe('mapKafkaError', () => {
  // kafkajs's .d.ts declares narrower constructors than its JS (src/errors.js) takes.
  const make = (C: unknown, ...args: unknown[]) => new (C as new (...a: unknown[]) => Error)(...args);
  it.each([
    [
      'SASL failure wrapped by the retrier',
      make(
        KafkaJSNonRetriableError,
        make(KafkaJSSASLAuthenticationError, 'SASL SCRAM SHA512 authentication failed'),
        { cause: make(KafkaJSSASLAuthenticationError, 'x') },
      ),
      77,
    ],
    [
      'connection refused after retries',
      make(
        KafkaJSNumberOfRetriesExceeded,
        make(KafkaJSConnectionError, 'Connection error: connect ECONNREFUSED 127.0.0.1:1'),
        { retryCount: 3, retryTime: 1 },
      ),
      69,
    ],
    ['something else', new Error('boom'), 70],
  ])('%s → exit %i', (_what, err, code) => {
    expect(mapKafkaError(err, 'kafka cluster c1').exitCode).toBe(code);
  });
});
