/**
 * SNS (AWS Query protocol: form-encoded `Action=…&Version=2010-03-31`, XML answers): Publish, the
 * one call streamctl makes (healer pages). Any topic ARN of this account/region is accepted and
 * every message is kept in memory for tests and the demo (`control.snsMessages()`); nothing is
 * delivered anywhere.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsError } from '../errors.js';

export interface SnsMessage {
  topicArn: string;
  subject?: string;
  message: string;
  messageId: string;
  timestampMs: number;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_KEPT = 10_000;

export class SnsTopics {
  readonly messages: SnsMessage[] = [];

  /** Runs one Query-protocol action; returns the XML result element. */
  handle(form: URLSearchParams, nowMs: number): string {
    const action = form.get('Action');
    switch (action) {
      case 'Publish':
        return this.publish(form, nowMs);
      default:
        throw new AwsError('InvalidAction', `SNS action ${String(action)} is not emulated`);
    }
  }

  private publish(form: URLSearchParams, nowMs: number): string {
    const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
    const message = form.get('Message');
    if (!topicArn || !/^arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topicArn)) {
      throw new AwsError('InvalidParameter', 'Invalid parameter: TopicArn');
    }
    if (message === null || message.length === 0)
      throw new AwsError('InvalidParameter', 'Invalid parameter: Empty message');
    if (Buffer.byteLength(message) > 256 * 1024)
      throw new AwsError('InvalidParameter', 'Invalid parameter: Message too long');
    const subject = form.get('Subject') ?? undefined;
    if (subject !== undefined && (subject.length > 100 || /[\r\n]/.test(subject)))
      throw new AwsError('InvalidParameter', 'Invalid parameter: Subject');
    const messageId = randomUUID();
    this.messages.push({
      topicArn,
      message,
      messageId,
      timestampMs: nowMs,
      ...(subject !== undefined ? { subject } : {}),
    });
    if (this.messages.length > MAX_KEPT) this.messages.shift();
    return `<PublishResult><MessageId>${messageId}</MessageId></PublishResult>`;
  }
}

/** Writes a Query-protocol success. */
export function sendQueryXml(res: ServerResponse, action: string, result: string): void {
  const text = `<${action}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a Query-protocol error (`<ErrorResponse><Error><Type/><Code/><Message/>`). */
export function sendQueryXmlError(res: ServerResponse, e: AwsError): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const text = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${esc(e.type)}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  res.writeHead(e.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
