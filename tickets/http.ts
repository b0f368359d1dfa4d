/**
 * Rate limits and transient failures of the trackers' REST APIs (TICKETS.md, Preflight, failures
 * and limits): `Retry-After` (seconds or an HTTP date), Jira's `X-RateLimit-Reset` (an ISO-8601
 * instant), GitHub's primary limit (`x-ratelimit-remaining: 0` with `x-ratelimit-reset` in epoch
 * seconds) and secondary limits (403 or 429 saying "secondary rate limit"), 502/503/504 and
 * network errors. At most 5 attempts and 60 s of waiting for one request; the sleep and the
 * clock are injected so tests do not wait.
 */
import { type Redactor, TicketPreflightError, TicketSinkError } from './errors.js';

export const MAX_ATTEMPTS = 5;
export const MAX_WAIT_MS = 60_000;
/** What GitHub asks for after a secondary limit that names no time: at least a minute. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;
const BACKOFF_BASE_MS = 1_000;

/** A failed request as the retry rules see it. `status` is absent when no response came back. */
export interface HttpFailure {
  readonly status?: number;
  /** Response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** What the server said (its error body, summarised), or the network error. */
  readonly message: string;
}

export interface RetryOptions {
  readonly maxAttempts?: number;
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export type RetryDecision =
  | { readonly retry: false; readonly transient: boolean }
  | { readonly retry: true; readonly waitMs: number; readonly why: string };

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether and how long to wait before attempt `attempt + 1`, after attempt `attempt` failed. */
export function retryDecision(failure: HttpFailure, attempt: number, nowMs: number): RetryDecision {
  const { status, headers } = failure;
  const backoff = BACKOFF_BASE_MS * 2 ** (attempt - 1);
  if (status === undefined) return { retry: true, waitMs: backoff, why: 'network error' };
  const secondary = (status === 403 || status === 429) && /secondary rate limit/i.test(failure.message);
  const primary = (status === 403 || status === 429) && headers['x-ratelimit-remaining'] === '0';
  const transient = status === 429 || status === 502 || status === 503 || status === 504;
  if (!secondary && !primary && !transient) return { retry: false, transient: false };

  const retryAfter = parseRetryAfter(headers['retry-after'], nowMs);
  if (retryAfter !== undefined) return { retry: true, waitMs: retryAfter, why: 'Retry-After' };
  const reset = parseRateLimitReset(headers['x-ratelimit-reset'], nowMs, primary);
  if (reset !== undefined) return { retry: true, waitMs: reset, why: 'rate limit reset' };
  if (secondary) return { retry: true, waitMs: SECONDARY_LIMIT_WAIT_MS, why: 'secondary rate limit' };
  return { retry: true, waitMs: backoff, why: status === 429 ? 'rate limited' : `HTTP ${status}` };
}

/** `Retry-After`: delay-seconds or an HTTP date; milliseconds to wait, or undefined. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * `X-RateLimit-Reset`: GitHub sends epoch seconds on every response (meaningful only when
 * `x-ratelimit-remaining` is 0); Jira sends an ISO-8601 instant (`yyyy-MM-ddTHH:mmZ`) with a 429.
 */
export function parseRateLimitReset(
  value: string | undefined,
  nowMs: number,
  exhausted: boolean,
): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return exhausted ? Math.max(0, Number(text) * 1000 - nowMs) : undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Runs `operation`, retrying as the rules above allow. `toFailure` reads a library error as an
 * `HttpFailure`, or returns undefined for anything that is not an HTTP problem (a bug), which is
 * rethrown as is. A request that fails for good becomes a `TicketSinkError` whose message names
 * `what` and the server's answer, with every secret removed.
 */
export async function withRetries<T>(
  what: string,
  operation: () => Promise<T>,
  toFailure: (error: unknown) => HttpFailure | undefined,
  redactor: Redactor,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  let waited = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      const failure = toFailure(error);
      if (failure === undefined) throw error;
      const decision = retryDecision(failure, attempt, now());
      const answer = describeFailure(failure);
      if (!decision.retry) {
        throw new TicketSinkError(redactor.redact(`${what} failed: ${answer}`), {
          ...(failure.status !== undefined && { status: failure.status }),
          unavailable: decision.transient,
        });
      }
      if (attempt >= maxAttempts) {
        throw new TicketSinkError(redactor.redact(`${what} failed after ${attempt} attempts: ${answer}`), {
          ...(failure.status !== undefined && { status: failure.status }),
          unavailable: true,
        });
      }
      if (waited + decision.waitMs > maxWaitMs) {
        throw new TicketSinkError(
          redactor.redact(
            `${what} failed: ${answer}; the ${decision.why} asks for ${seconds(decision.waitMs)} more, ` +
              `beyond the ${seconds(maxWaitMs)} one request may wait`,
          ),
          { ...(failure.status !== undefined && { status: failure.status }), unavailable: true },
        );
      }
      waited += decision.waitMs;
      await sleep(decision.waitMs);
    }
  }
}

function describeFailure(failure: HttpFailure): string {
  const message = failure.message.trim();
  if (failure.status === undefined) return `no response (${message || 'network error'})`;
  return message === '' ? `HTTP ${failure.status}` : `HTTP ${failure.status}: ${message}`;
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

/** Lower-cases header names; joins repeated values as HTTP does. */
export function normalizeHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== 'object') return out;
  const source =
    typeof (headers as { toJSON?: unknown }).toJSON === 'function'
      ? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
      : (headers as Record<string, unknown>);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * Spaces calls at least `intervalMs` apart (GitHub asks for one second between content-creating
 * requests). The clock and the sleep are injected.
 */
export class Spacer {
  private last: number | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async wait(): Promise<void> {
    if (this.last !== undefined) {
      const due = this.last + this.intervalMs - this.now();
      if (due > 0) await this.sleep(due);
    }
    this.last = this.now();
  }
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * A tracker's base URL: `https://`, or plain `http://` for a loopback host only (a local test
 * server); anything else would send the token in clear. Returns it without a trailing slash.
 */
export function checkBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TicketPreflightError(`${field}: ${JSON.stringify(value)} is not a URL`);
  }
  const loopback = LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TicketPreflightError(
      `${field}: ${JSON.stringify(value)} must use https:// (plain http:// only for a loopback host)`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new TicketPreflightError(`${field}: put no credentials in the URL; use the token setting`);
  }
  return url.toString().replace(/\/+$/, '');
}
