import { Outcome, Sysexit, type SysexitCode } from './exit-codes.js';

/**
 * The one error type streamctl raises on purpose. It carries a stable `code`, the process exit
 * code, whether retrying may help (`transient`) and a remediation `hint`. The CLI renders it as
 * one clear message; stack traces appear only with `--debug`.
 */
export class StreamctlError extends Error {
  readonly code: string;
  readonly exitCode: SysexitCode | number;
  readonly hint?: string;
  readonly transient: boolean;

  constructor(
    code: string,
    message: string,
    opts: { exitCode?: SysexitCode | number; hint?: string; transient?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StreamctlError';
    this.code = code;
    this.exitCode = opts.exitCode ?? Sysexit.SOFTWARE;
    if (opts.hint !== undefined) this.hint = opts.hint;
    this.transient = opts.transient ?? false;
  }
}

/** Bad input data: names the file, the field and what was expected (exit 65). */
export function badInput(file: string, field: string, expected: string, got?: string): StreamctlError {
  const where = field ? `${file}: ${field}` : file;
  const gotText = got === undefined ? '' : ` (got ${got})`;
  return new StreamctlError('BAD_INPUT', `${where}: expected ${expected}${gotText}`, {
    exitCode: Sysexit.DATAERR,
    hint: 'Fix the input file and run the command again; nothing was written.',
  });
}

/** A configuration error (exit 78). */
export function configError(message: string, hint?: string): StreamctlError {
  return new StreamctlError('CONFIG', message, {
    exitCode: Sysexit.CONFIG,
    hint: hint ?? 'Run `streamctl config validate` for details.',
  });
}

/** Incorrect use of the command (exit 64). */
export function usageError(message: string, hint?: string): StreamctlError {
  return new StreamctlError('USAGE', message, { exitCode: Sysexit.USAGE, ...(hint ? { hint } : {}) });
}

/** A dependency is unavailable (exit 69). */
export function unavailable(message: string, hint?: string, cause?: unknown): StreamctlError {
  return new StreamctlError('UNAVAILABLE', message, {
    exitCode: Sysexit.UNAVAILABLE,
    transient: true,
    ...(hint ? { hint } : {}),
    cause,
  });
}

/** A temporary failure or a timeout (exit 75). */
export function tempFailure(message: string, hint?: string, cause?: unknown): StreamctlError {
  return new StreamctlError('TEMPFAIL', message, {
    exitCode: Sysexit.TEMPFAIL,
    transient: true,
    ...(hint ? { hint } : {}),
    cause,
  });
}

/** Permission denied by IAM, SASL or ACLs (exit 77). */
export function permissionDenied(message: string, hint?: string, cause?: unknown): StreamctlError {
  return new StreamctlError('NOPERM', message, {
    exitCode: Sysexit.NOPERM,
    ...(hint ? { hint } : {}),
    cause,
  });
}

/**
 * A precondition refused a (destructive) action: the target is not in a state that allows it now,
 * e.g. an application that is not RUNNING or a reassignment already in progress. Exit 75: the same
 * command may succeed later, once the target has settled.
 */
export function refused(message: string, hint?: string): StreamctlError {
  return new StreamctlError('REFUSED', message, { exitCode: Sysexit.TEMPFAIL, ...(hint ? { hint } : {}) });
}

/** The operator declined a confirmation prompt: nothing was done (exit 1). */
export function aborted(message = 'Aborted: nothing was changed.'): StreamctlError {
  return new StreamctlError('ABORTED', message, { exitCode: Outcome.DECLINED });
}

/**
 * Maps an error thrown by the AWS SDK, kafkajs or the network to a StreamctlError with the right
 * exit code. Unknown errors stay software errors (exit 70).
 */
export function fromUnknown(err: unknown, context: string): StreamctlError {
  if (err instanceof StreamctlError) return err;
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e?.name ?? '';
  const msg = `${context}: ${e?.message ?? String(err)}`;
  const status = e?.$metadata?.httpStatusCode;
  if (
    /AccessDenied|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|SASLAuthentication|Unauthorized/i.test(
      name,
    ) ||
    status === 403
  ) {
    return permissionDenied(msg, 'Check the credentials and the IAM policy (docs/iam.md).', err);
  }
  // A call cut short by the daemon's shutdown (aws-clients.ts withDeadline): temporary, not a bug.
  if (name === 'AbortError')
    return tempFailure(msg, 'The call was cut short because streamctl is stopping; retry.', err);
  if (
    /Throttl|TooManyRequests|LimitExceeded|RequestTimeout|TimeoutError|Timeout/i.test(name) ||
    status === 429
  ) {
    return tempFailure(msg, 'Retry later; the service throttled or timed out.', err);
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|KafkaJSConnectionError|KafkaJSNumberOfRetriesExceeded|KafkaJSBrokerNotFound|ServiceUnavailable|CredentialsProviderError/i.test(
      `${name} ${e?.code ?? ''} ${e?.message ?? ''}`,
    )
  ) {
    return unavailable(
      msg,
      'Check that the endpoint is reachable and credentials resolve (`streamctl doctor`).',
      err,
    );
  }
  // A service that answers 5xx, or a body that is not its API (an HTML error page, garbage from a
  // proxy), is unavailable, not a bug in streamctl: the SDK reports the latter as a
  // "Deserialization error" wrapping a SyntaxError.
  if (
    (status !== undefined && status >= 500) ||
    /Deserialization error|is not valid JSON|Unexpected token/i.test(msg)
  ) {
    return unavailable(
      msg.split('\n')[0]!,
      'The service did not answer with its API; check the endpoint (`streamctl doctor`).',
      err,
    );
  }
  return new StreamctlError('INTERNAL', msg, { exitCode: Sysexit.SOFTWARE, cause: err });
}
