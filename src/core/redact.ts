/**
 * Secret redaction for every log and output path.
 *
 * Presigned Flink dashboard URLs are bearer credentials (AWS: "treat the URL as a secret"), and
 * SASL passwords, tokens and webhook URLs must never reach a terminal, a log or a report.
 * Two mechanisms, both applied everywhere output leaves the process:
 *  1. values registered at runtime (a password read from a file, a presigned URL just created);
 *  2. patterns that are secret whatever their value (authToken=…, webhook URLs, Bearer tokens,
 *     keys named like secrets in structured data).
 */
const REDACTED = '[REDACTED]';
const registered = new Set<string>();

/** Registers a secret value so that it is masked wherever it appears in output. */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Forgets registered secrets (tests only). */
export function clearRegisteredSecrets(): void {
  registered.clear();
}

const PATTERNS: Array<[RegExp, string | ((m: string, ...g: string[]) => string)]> = [
  // Presigned Flink dashboard and any other authToken/token/signature query parameters.
  [
    /((?:^|[?&\s])(?:authToken|auth_token|token|access_token|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=)[^&#\s"']+/gi,
    `$1${REDACTED}`,
  ],
  // Slack incoming webhooks and similar secret-path webhooks.
  [/https:\/\/hooks\.slack\.com\/[^\s"']+/gi, `https://hooks.slack.com/${REDACTED}`],
  [/https:\/\/[a-z0-9.-]*webhook\.office\.com\/[^\s"']+/gi, `https://webhook.office.com/${REDACTED}`],
  [
    /https:\/\/(?:[a-z0-9-]+\.)?discord(?:app)?\.com\/api\/webhooks\/[^\s"']+/gi,
    `https://discord.com/api/webhooks/${REDACTED}`,
  ],
  // Token-named keys in JSON/YAML text, e.g. an HTTP error body echoed into a message. Not
  // NextToken (AWS pagination) nor plain words such as "tokens".
  [
    /((?<![A-Za-z0-9_])(?:authToken|auth_token|access_token|token|sessionToken|session_token|secretAccessKey|secret_access_key)["']?\s*[:=]\s*["']?)[^\s"',}&]+/g,
    `$1${REDACTED}`,
  ],
  // HTTP authorization headers and bearer tokens.
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1${REDACTED}`],
  [/(\bBasic\s+)[A-Za-z0-9+/=]{8,}/g, `$1${REDACTED}`],
  // password=..., secret: ... in free text (config dumps, exception messages).
  [
    /((?:password|passwd|secret|routing_key|routingKey|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',}&]+/gi,
    `$1${REDACTED}`,
  ],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
];

/** Masks secrets in a string. */
export function redactString(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [re, replacement] of PATTERNS) {
    out = out.replace(re, replacement as string);
  }
  return out;
}

const SECRET_KEY =
  /^(password|passwd|secret|secretAccessKey|sessionToken|token|authToken|authorizedUrl|AuthorizedUrl|webhook|webhookUrl|url_secret|routingKey|apiKey|authorization)$/i;

/** Deep-copies a value, masking secret-named keys and secret patterns in every string. */
export function redact<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = REDACTED;
    else out[k] = redactValue(v, seen);
  }
  return out;
}
