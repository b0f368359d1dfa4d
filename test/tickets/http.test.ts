import { describe, expect, it } from 'vitest';
import { Redactor, TicketSinkError } from '../../tickets/errors.js';
import {
  checkBaseUrl,
  type HttpFailure,
  parseRateLimitReset,
  parseRetryAfter,
  retryDecision,
  Spacer,
  withRetries,
} from '../../tickets/http.js';
import { FakeClock } from './fixtures.js';

const NOW = Date.parse('2026-03-01T02:10:00.000Z');

function failure(
  status: number | undefined,
  headers: Record<string, string> = {},
  message = '',
): HttpFailure {
  return { ...(status !== undefined && { status }), headers, message };
}

describe('retryDecision', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryDecision(failure(429, { 'retry-after': '7' }), 1, NOW)).toMatchObject({
      retry: true,
      waitMs: 7000,
    });
    expect(
      retryDecision(failure(503, { 'retry-after': new Date(NOW + 9000).toUTCString() }), 1, NOW),
    ).toMatchObject({ retry: true, waitMs: 9000 });
    expect(parseRetryAfter('not a date', NOW)).toBeUndefined();
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });

  it('reads Jira’s X-RateLimit-Reset (ISO-8601) and GitHub’s (epoch seconds, only when exhausted)', () => {
    expect(retryDecision(failure(429, { 'x-ratelimit-reset': '2026-03-01T02:11Z' }), 1, NOW)).toMatchObject({
      waitMs: 60_000,
    });
    const reset = String(NOW / 1000 + 30);
    expect(
      retryDecision(failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), 1, NOW),
    ).toMatchObject({ retry: true, waitMs: 30_000 });
    expect(parseRateLimitReset(reset, NOW, false)).toBeUndefined();
  });

  it('retries secondary limits, 503 and network errors; not other 4xx', () => {
    expect(
      retryDecision(failure(403, {}, 'You have exceeded a secondary rate limit.'), 1, NOW),
    ).toMatchObject({
      retry: true,
      waitMs: 60_000,
    });
    expect(retryDecision(failure(503), 3, NOW)).toMatchObject({ retry: true, waitMs: 4000 });
    expect(retryDecision(failure(undefined, {}, 'ECONNRESET'), 1, NOW)).toMatchObject({
      retry: true,
      waitMs: 1000,
    });
    expect(
      retryDecision(failure(403, { 'x-ratelimit-remaining': '12' }, 'Resource not accessible'), 1, NOW),
    ).toEqual({
      retry: false,
      transient: false,
    });
    expect(retryDecision(failure(404), 1, NOW)).toEqual({ retry: false, transient: false });
  });
});

describe('withRetries', () => {
  const redactor = new Redactor(['s3cr3t-token-value']);
  const asFailure = (e: unknown) => (e as { failure?: HttpFailure }).failure;
  const fails = (f: HttpFailure) => Object.assign(new Error('http'), { failure: f });

  it('makes at most 5 attempts', async () => {
    // Prepare
    const clock = new FakeClock();
    let attempts = 0;

    // Act
    const error = await withRetries(
      'GET /x',
      async () => {
        attempts += 1;
        throw fails(failure(503, {}, 'Service Unavailable'));
      },
      asFailure,
      redactor,
      { sleep: clock.sleep, now: clock.now },
    ).catch((e: unknown) => e);

    // Assess
    expect(attempts).toBe(5);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(error).toBeInstanceOf(TicketSinkError);
    expect(error).toMatchObject({ status: 503, unavailable: true });
  });

  it('waits at most 60 s in all for one request', async () => {
    // Prepare
    const clock = new FakeClock();
    let attempts = 0;

    // Act
    const error = await withRetries(
      'GET /x',
      async () => {
        attempts += 1;
        throw fails(failure(429, { 'retry-after': '25' }));
      },
      asFailure,
      redactor,
      { sleep: clock.sleep, now: clock.now },
    ).catch((e: unknown) => e);

    // Assess
    expect(attempts).toBe(3);
    expect(clock.sleeps).toEqual([25_000, 25_000]);
    expect((error as Error).message).toContain('beyond the 60 s one request may wait');
  });

  it('rethrows what is not an HTTP failure as it is', async () => {
    const bug = new TypeError('bug');
    await expect(
      withRetries(
        'x',
        async () => Promise.reject(bug),
        () => undefined,
        redactor,
      ),
    ).rejects.toBe(bug);
  });

  it('redacts the token from the message', async () => {
    const error = await withRetries(
      'POST /x',
      async () => {
        throw fails(
          failure(
            400,
            {},
            'the token s3cr3t-token-value is bad; Authorization: Bearer abcdef0123456789abcdef',
          ),
        );
      },
      asFailure,
      redactor,
    ).catch((e: unknown) => e);
    expect((error as Error).message).not.toContain('s3cr3t-token-value');
    expect((error as Error).message).not.toContain('abcdef0123456789abcdef');
  });
});

describe('Spacer', () => {
  it('keeps calls at least the interval apart', async () => {
    const clock = new FakeClock();
    const spacer = new Spacer(1000, clock.now, clock.sleep);
    await spacer.wait();
    clock.ms += 300;
    await spacer.wait();
    await spacer.wait();
    expect(clock.sleeps).toEqual([700, 1000]);
  });
});

describe('checkBaseUrl', () => {
  it('takes https, and http only for loopback hosts', () => {
    expect(checkBaseUrl('https://example.atlassian.net/', 'f')).toBe('https://example.atlassian.net');
    expect(checkBaseUrl('http://127.0.0.1:8080', 'f')).toBe('http://127.0.0.1:8080');
    expect(checkBaseUrl('http://localhost:3000/api/v3', 'f')).toBe('http://localhost:3000/api/v3');
    expect(() => checkBaseUrl('http://github.internal/api/v3', 'f')).toThrow('must use https://');
    expect(() => checkBaseUrl('https://YOUR_USERNAME:YOUR_PASSWORD@example.com', 'f')).toThrow(
      'no credentials',
    );
    expect(() => checkBaseUrl('nope', 'f')).toThrow('is not a URL');
  });
});
