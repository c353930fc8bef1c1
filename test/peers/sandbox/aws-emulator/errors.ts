/**
 * Service errors in the shape each AWS protocol puts on the wire, so the real SDK v3 clients raise
 * their typed exceptions (ResourceInUseException, ValidationException, NotFoundException, ...).
 *
 * - AWS JSON 1.0/1.1 (kinesisanalyticsv2, logs, cloudwatch): HTTP 400 with `{"__type", "message"}`.
 *   CloudWatch is `awsQueryCompatible`: the SDK reads the code from the `x-amzn-query-error`
 *   header (`Code;Sender`) first and maps it through each error's `awsQueryError` trait, so a
 *   `ValidationError` code becomes the SDK's `ValidationException`.
 * - REST-JSON (kafka): the HTTP status of the error plus `x-amzn-errortype` and `{"message"}`.
 */
export class AwsError extends Error {
  constructor(
    /** The error shape name, e.g. `ResourceInUseException`. */
    readonly type: string,
    message: string,
    readonly status = 400,
    /** For awsQueryCompatible services: the legacy query error code (`ValidationError`). */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Shorthand constructors for the errors the emulator raises most. */
export const err = {
  resourceInUse: (m: string) => new AwsError('ResourceInUseException', m),
  notFound: (m: string) => new AwsError('ResourceNotFoundException', m),
  invalidArgument: (m: string) => new AwsError('InvalidArgumentException', m),
  invalidRequest: (m: string) => new AwsError('InvalidRequestException', m),
  concurrentModification: (m: string) => new AwsError('ConcurrentModificationException', m),
  unsupported: (m: string) => new AwsError('UnsupportedOperationException', m),
  invalidConfig: (m: string) => new AwsError('InvalidApplicationConfigurationException', m),
  /** CloudWatch's generic constraint violation (`ValidationError` in query terms). */
  cwValidation: (m: string) => new AwsError('ValidationException', m, 400, 'ValidationError'),
  cwInvalidParameter: (m: string) =>
    new AwsError('InvalidParameterValueException', m, 400, 'InvalidParameterValue'),
  cwInvalidParameterToken: (token: string) =>
    new AwsError('InvalidNextToken', `The NextToken ${token} is not valid.`, 400, 'InvalidNextToken'),
  cwNotFound: (m: string) => new AwsError('ResourceNotFoundException', m, 404, 'ResourceNotFoundException'),
  logsInvalidParameter: (m: string) => new AwsError('InvalidParameterException', m),
  logsNotFound: (m: string) => new AwsError('ResourceNotFoundException', m),
  logsMalformedQuery: (m: string) => new AwsError('MalformedQueryException', m),
  kafkaNotFound: (m: string) => new AwsError('NotFoundException', m, 404),
  kafkaBadRequest: (m: string) => new AwsError('BadRequestException', m, 400),
};

/** Reads a required string member of a request body, or fails the way the service does. */
export function requireString(
  body: Record<string, unknown>,
  name: string,
  make = err.invalidArgument,
): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0)
    throw make(`${name} is required and must be a non-empty string`);
  return v;
}
