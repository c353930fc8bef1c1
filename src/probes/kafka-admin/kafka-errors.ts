/**
 * How failures of the kafkajs adapter become StreamctlErrors (exit codes per docs/design.md §5) or
 * per-resource error values.
 */
import {
  fromUnknown,
  permissionDenied,
  StreamctlError,
  tempFailure,
  unavailable,
} from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';
import { AUTHORIZATION_CODES, ErrorCode, errorName, type KafkaErrorInfo } from './protocol/errors.js';

/**
 * Maps a kafkajs/network failure to a StreamctlError: authentication refused → 77, unreachable →
 * 69, timeouts → 75. kafkajs wraps the real cause (KafkaJSNumberOfRetriesExceeded, …) so the
 * cause chain is searched. Messages are redacted.
 */
export function mapKafkaError(err: unknown, context: string): StreamctlError {
  if (err instanceof StreamctlError) return err;
  const chain: Array<{ name?: string; message?: string; type?: string; code?: string; cause?: unknown }> = [];
  for (
    let e = err as (typeof chain)[number] | undefined;
    e && chain.length < 6;
    e = e.cause as (typeof chain)[number] | undefined
  )
    chain.push(e);
  const text = (e: (typeof chain)[number]) =>
    `${e.name ?? ''} ${e.type ?? ''} ${e.code ?? ''} ${e.message ?? ''}`;
  const deepest = chain[chain.length - 1] ?? {};
  const message = redactString(`${context}: ${deepest.message ?? String(err)}`);
  if (
    chain.some((e) =>
      /SASLAuthentication|SASL_AUTHENTICATION_FAILED|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM|AUTHORIZATION_FAILED/.test(
        text(e),
      ),
    )
  ) {
    return permissionDenied(message, 'Check the SASL/IAM credentials and ACLs for this cluster.', err);
  }
  if (
    chain.some((e) =>
      /KafkaJSConnectionError|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|KafkaJSBrokerNotFound|Connection timeout/i.test(
        text(e),
      ),
    )
  ) {
    return unavailable(
      message,
      'Check that the bootstrap servers are reachable from here (security groups, listeners).',
      err,
    );
  }
  if (chain.some((e) => /KafkaJSRequestTimeoutError|REQUEST_TIMED_OUT|Request .* timed out/i.test(text(e)))) {
    return tempFailure(message, 'Retry later; the cluster is slow to answer.', err);
  }
  const mapped = fromUnknown(err, context);
  return mapped.exitCode === Sysexit.SOFTWARE
    ? new StreamctlError('KAFKA', message, { exitCode: Sysexit.SOFTWARE, cause: err })
    : mapped;
}

/** A top-level protocol error: the whole call failed. */
export function topLevelError(api: string, code: number, message: string | null): StreamctlError {
  const text = `${api}: ${errorName(code)}${message ? `: ${message}` : ''}`;
  if (AUTHORIZATION_CODES.has(code))
    return permissionDenied(text, 'The principal lacks the ACL (e.g. ALTER on CLUSTER) for this operation.');
  return new StreamctlError('KAFKA', text, {
    exitCode: Sysexit.UNAVAILABLE,
    transient: code === ErrorCode.NOT_CONTROLLER,
  });
}

/** A broker that could not be reached, as a per-broker error value. */
export const unreachable = (e: unknown): KafkaErrorInfo => ({
  code: ErrorCode.BROKER_NOT_AVAILABLE,
  name: 'BROKER_NOT_AVAILABLE',
  message: redactString(mapKafkaError(e, 'broker').message),
});
