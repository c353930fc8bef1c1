import type * as SnsSdk from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { usageError } from '../../core/errors.js';
import { redactString } from '../../core/redact.js';
import { awsError, parseResponse } from '../aws-response.js';
import { lazySdk } from '../lazy-sdk.js';

// The SDK package loads at the first call, not when a command imports this file (lazy-sdk.ts).
const sns = lazySdk<typeof SnsSdk>('@aws-sdk/client-sns');

/** Publishes pages and incident updates to an SNS topic (the healer's SNS channel). */
export interface SnsPublisher {
  /** Returns the SNS MessageId. Subject and message are redacted before they leave the process. */
  publish(topicArn: string, subject: string, message: string): Promise<{ messageId: string }>;
}

/** SNS limits: Subject ≤ 100 printable ASCII characters without newlines; Message < 256 KiB. */
export const SUBJECT_MAX = 100;
export const MESSAGE_MAX_BYTES = 256 * 1024;

const PublishSchema = z.looseObject({ MessageId: z.string().min(1) });

/**
 * Makes a subject SNS accepts: newlines and non-printable/non-ASCII characters become spaces,
 * runs of spaces collapse, and it is cut to 100 characters (with an ellipsis) — a page must not
 * fail because a diagnosis contained a newline.
 */
export function sanitizeSubject(subject: string): string {
  const clean = subject
    .replace(/[^\x20-\x7e]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length <= SUBJECT_MAX ? clean : `${clean.slice(0, SUBJECT_MAX - 3)}...`;
}

export function createSnsPublisher(client: SNSClient): SnsPublisher {
  return {
    async publish(topicArn, subject, message) {
      const Message = redactString(message);
      if (Buffer.byteLength(Message, 'utf8') >= MESSAGE_MAX_BYTES) {
        throw usageError(
          `SNS message is ${Buffer.byteLength(Message, 'utf8')} bytes; the limit is ${MESSAGE_MAX_BYTES - 1}`,
        );
      }
      const Subject = sanitizeSubject(redactString(subject));
      let out: unknown;
      try {
        out = await client.send(
          new sns.PublishCommand({ TopicArn: topicArn, Subject: Subject || 'streamctl', Message }),
        );
      } catch (err) {
        throw awsError(err, `sns Publish (${topicArn})`);
      }
      return { messageId: parseResponse(PublishSchema, out, 'sns Publish').MessageId };
    },
  };
}
