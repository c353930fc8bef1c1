import { StreamctlError } from '../../core/errors.js';
import { Sysexit } from '../../core/exit-codes.js';
import { redactString } from '../../core/redact.js';

/** POSTs JSON with a timeout; non-2xx and network errors become a redacted, typed error. */
export async function postJson(
  url: string,
  body: unknown,
  opts: { timeoutMs?: number; what: string; headers?: Record<string, string> },
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new StreamctlError(
      'NOTIFY_FAILED',
      `${opts.what}: delivery failed (${redactString(String(cause))})`,
      { exitCode: Sysexit.UNAVAILABLE, transient: true },
    );
  }
  if (!res.ok) {
    const text = redactString((await res.text().catch(() => '')).slice(0, 200));
    throw new StreamctlError('NOTIFY_FAILED', `${opts.what}: HTTP ${res.status}${text ? `: ${text}` : ''}`, {
      exitCode: res.status === 401 || res.status === 403 ? Sysexit.NOPERM : Sysexit.UNAVAILABLE,
      transient: res.status === 429 || res.status >= 500,
    });
  }
}
