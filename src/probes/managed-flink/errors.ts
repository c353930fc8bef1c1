import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { KNOWN_APPLICATION_STATUSES } from '../../domain/flink.js';
import { awsError, awsErrorName } from '../aws-response.js';

/**
 * Typed errors for kinesisanalyticsv2 refusals, so that callers branch on a class and a status
 * instead of parsing messages. Everything else goes through awsError (IAM, throttling, network).
 */

/** The application is busy (ResourceInUseException): e.g. UPDATING while a rollback was asked. */
export class ApplicationBusyError extends StreamctlError {
  /** The application status named by the service (or found by a describe), when known. */
  readonly status: string | undefined;
  constructor(
    api: string,
    applicationName: string,
    status: string | undefined,
    cause: unknown,
    code = 'RESOURCE_IN_USE',
  ) {
    const what = status ? ` (status ${status})` : '';
    super(code, `${api}: application ${applicationName} is busy${what}: ${messageOf(cause)}`, {
      exitCode: Sysexit.TEMPFAIL,
      transient: true,
      hint: 'Wait for the current operation to finish (streamctl flink status), then try again.',
      cause,
    });
    this.status = status;
  }
}

/**
 * The Flink dashboard (and so the presigned REST API) is unavailable: CreateApplicationPresignedUrl
 * answers ResourceInUseException unless the application is RUNNING (e.g. UPDATING, AUTOSCALING).
 * Report it; do not retry blindly.
 */
export class DashboardUnavailableError extends ApplicationBusyError {
  constructor(applicationName: string, status: string | undefined, cause: unknown) {
    super('CreateApplicationPresignedUrl', applicationName, status, cause, 'DASHBOARD_UNAVAILABLE');
    this.message = `The Flink dashboard of ${applicationName} is unavailable${status ? ` while ${status}` : ''}: MSF serves it only when the application is RUNNING.`;
  }
}

/** ConcurrentModificationException: the version id given is stale (someone changed the app). */
export class ConcurrentModificationError extends StreamctlError {
  constructor(api: string, applicationName: string, cause: unknown) {
    super(
      'CONCURRENT_MODIFICATION',
      `${api}: application ${applicationName} changed meanwhile: ${messageOf(cause)}`,
      {
        exitCode: Sysexit.TEMPFAIL,
        transient: true,
        hint: 'Describe the application again to get the current version id, re-check, then retry.',
        cause,
      },
    );
  }
}

/** ResourceNotFoundException: no such application (or operation, or snapshot) in that region. */
export class ApplicationNotFoundError extends StreamctlError {
  constructor(api: string, applicationName: string, cause: unknown) {
    super('NOT_FOUND', `${api}: ${applicationName} not found: ${messageOf(cause)}`, {
      exitCode: Sysexit.CONFIG,
      hint: 'Check flink.applications[].managed.applicationName and its region in streamctl.yaml.',
      cause,
    });
  }
}

/** InvalidRequestException / UnsupportedOperationException / InvalidApplicationConfigurationException. */
export class RequestRefusedError extends StreamctlError {
  constructor(api: string, applicationName: string, cause: unknown) {
    super('REFUSED', `${api}: refused for ${applicationName}: ${messageOf(cause)}`, {
      exitCode: Sysexit.TEMPFAIL,
      hint: 'The application is not in a state that allows this (e.g. no snapshot to restore); see streamctl flink status.',
      cause,
    });
  }
}

/**
 * Finds the application's status named in a service message. Messages often name two statuses
 * ("Application x is in READY status; this operation is allowed only when RUNNING"): the one the
 * application is in comes after "in"/"is", and is not the one the operation needs. So: a status
 * right after "is"/"currently" wins, then one right after "in"; else the first status in the message that is not
 * RUNNING (a ResourceInUse refusal means the application is not RUNNING); else RUNNING.
 */
export function statusInMessage(message: string): string | undefined {
  const alternatives = [...KNOWN_APPLICATION_STATUSES].sort((a, b) => b.length - a.length).join('|');
  for (const lead of ['is in|is currently|is|currently', 'in']) {
    for (const m of message.matchAll(new RegExp(`\\b(?:${lead})\\s+(?:the\\s+)?(${alternatives})\\b`, 'g'))) {
      if (m[1] !== 'RUNNING') return m[1];
    }
  }
  const all = [...message.matchAll(new RegExp(`\\b(${alternatives})\\b`, 'g'))].map((m) => m[1]!);
  return all.find((x) => x !== 'RUNNING') ?? all[0];
}

function messageOf(err: unknown): string {
  const m = (err as { message?: unknown })?.message;
  return typeof m === 'string' && m ? m : awsErrorName(err) || 'unknown error';
}

/** Maps an SDK error of a kinesisanalyticsv2 call to a typed StreamctlError. */
export function msfError(err: unknown, api: string, applicationName: string): StreamctlError {
  if (err instanceof StreamctlError) return err;
  switch (awsErrorName(err)) {
    case 'ResourceInUseException':
      return new ApplicationBusyError(api, applicationName, statusInMessage(messageOf(err)), err);
    case 'ConcurrentModificationException':
      return new ConcurrentModificationError(api, applicationName, err);
    case 'ResourceNotFoundException':
      return new ApplicationNotFoundError(api, applicationName, err);
    case 'InvalidRequestException':
    case 'UnsupportedOperationException':
    case 'InvalidApplicationConfigurationException':
      return new RequestRefusedError(api, applicationName, err);
    case 'InvalidArgumentException':
      return new StreamctlError(
        'INVALID_ARGUMENT',
        `${api}: invalid argument for ${applicationName}: ${messageOf(err)}`,
        {
          exitCode: Sysexit.USAGE,
          cause: err,
        },
      );
    default:
      return awsError(err, `kinesisanalyticsv2 ${api} (${applicationName})`);
  }
}
