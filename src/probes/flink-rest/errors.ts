import { StreamctlError } from '../../core/errors.js';
import { Health, Sysexit } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';
import { statusInMessage } from '../managed-flink/errors.js';

/**
 * The MSF Flink dashboard (and so the presigned REST API) cannot be reached because the application
 * is not RUNNING: CreateApplicationPresignedUrl answers ResourceInUseException while it is UPDATING,
 * AUTOSCALING, STARTING… Health commands report UNKNOWN (exit 3); nothing retries it in a loop
 * (docs/design.md §2: reported, not retried blindly), so `transient` is false on purpose.
 */
export class DashboardUnavailable extends StreamctlError {
  /** The application status, when the service (or the caller) named it. */
  readonly status: string | undefined;
  constructor(status: string | undefined, cause?: unknown) {
    super('DASHBOARD_UNAVAILABLE', `dashboard unavailable: application is ${status ?? 'not RUNNING'}`, {
      exitCode: Health.UNKNOWN,
      hint: 'MSF serves the Flink dashboard only while the application is RUNNING; check again once it has settled (streamctl flink status).',
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'DashboardUnavailable';
    this.status = status;
  }
}

/**
 * The application status named in a ResourceInUseException message. Messages often name the
 * statuses an operation needs too ("… is in UPDATING status; available only when RUNNING"): the
 * MSF probe's reading (the status after "is"/"in" first) is the one rule for both.
 */
export function statusFromMessage(message: string): string | undefined {
  return statusInMessage(message);
}

/** What kind of refusal an HTTP status from Flink REST is. */
export type FlinkRestFailure =
  | 'not-found'
  | 'denied'
  | 'unavailable'
  | 'timeout'
  | 'throttled'
  | 'bad-request';

const EXIT: Record<FlinkRestFailure, number> = {
  'not-found': Sysexit.DATAERR,
  denied: Sysexit.NOPERM,
  unavailable: Sysexit.UNAVAILABLE,
  timeout: Sysexit.TEMPFAIL,
  throttled: Sysexit.TEMPFAIL,
  'bad-request': Sysexit.SOFTWARE,
};

const HINT: Record<FlinkRestFailure, string> = {
  'not-found': 'The job id may belong to another cluster, or the job left the JobManager’s job store.',
  denied:
    'Check the REST token, or create a fresh presigned dashboard URL (it must be used within 3 minutes).',
  unavailable: 'Check that the JobManager REST endpoint is reachable (streamctl doctor).',
  timeout: 'The JobManager did not answer in time; retry later.',
  throttled: 'The REST endpoint throttled the call (HTTP 429); retry later.',
  'bad-request': 'streamctl sent a request Flink did not accept: please report it.',
};

/**
 * A failed Flink REST call, naming the endpoint (never the URL: a presigned URL is a credential)
 * and Flink's own first error line.
 */
export class FlinkRestError extends StreamctlError {
  readonly endpoint: string;
  readonly httpStatus: number | undefined;
  readonly failure: FlinkRestFailure;
  constructor(failure: FlinkRestFailure, endpoint: string, detail: string, httpStatus?: number) {
    super(
      `FLINK_REST_${failure.toUpperCase().replace('-', '_')}`,
      redactString(`Flink REST ${endpoint}: ${detail}`),
      {
        exitCode: EXIT[failure],
        hint: HINT[failure],
        transient: failure === 'unavailable' || failure === 'timeout' || failure === 'throttled',
      },
    );
    this.name = 'FlinkRestError';
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.failure = failure;
  }
}

/** Maps a non-2xx HTTP status to the failure kind. */
export function failureForStatus(status: number): FlinkRestFailure {
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'not-found';
  if (status === 408 || status === 504) return 'timeout';
  // Throttled is temporary (75), not a request streamctl got wrong (it was reported as a bug).
  if (status === 429) return 'throttled';
  if (status >= 400 && status < 500) return 'bad-request';
  return 'unavailable';
}

/**
 * Flink's error bodies are `{"errors": ["<exception>: <message>\n\tat …"]}`: keep the first line,
 * without the exception class prefix of Flink's own REST exceptions.
 */
export function flinkErrorLine(body: unknown): string | undefined {
  const errors = (body as { errors?: unknown })?.errors;
  if (!Array.isArray(errors) || typeof errors[0] !== 'string') return undefined;
  const first = errors[0].split('\n').find((l) => l.trim()) ?? '';
  return first
    .replace(
      /^org\.apache\.flink\.runtime\.rest\.(?:handler\.)?(?:NotFoundException|RestHandlerException): /,
      '',
    )
    .slice(0, 300);
}
