// Loads the aws-sdk-client-mock-vitest matcher types (the matchers are registered in test/setup.ts).

import type { AwsStub } from 'aws-sdk-client-mock';
import type {} from 'aws-sdk-client-mock-vitest/extend';

/**
 * Makes an aws-sdk-client-mock stub strict: any command not registered with an exact input
 * (`stub.on(Cmd, input, true)`) rejects, so an unexpected or mis-shaped call fails the test
 * instead of silently returning undefined.
 */
// biome-ignore lint/suspicious/noExplicitAny: the stub's generics vary per client
export function strictMock<S extends AwsStub<any, any, any>>(stub: S): S {
  stub.reset();
  stub.onAnyCommand().rejects(new Error('UNEXPECTED AWS CALL (no exact-input stub matched)'));
  return stub;
}

/** An SDK-like service exception (name + $metadata), as the SDK deserialiser builds them. */
export function awsException(name: string, message: string, httpStatusCode = 400): Error {
  const e = new Error(message) as Error & { $metadata: object; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}
