/**
 * The ticket step's errors. HTTP failures never carry the library's own error as `cause`: those
 * hold the request, and the request holds the Authorization header. Every message goes through
 * a `Redactor` that knows the token in each form it travels in.
 */
import { CustosError } from '../core/errors.js';

/** A tracker request that failed for good (after the retries the rate-limit rules allow). */
export class TicketSinkError extends Error {
  /** HTTP status, when a response came back. */
  readonly status: number | undefined;
  /**
   * True when the tracker is unavailable or rate limited beyond what one request may wait:
   * the rest of the sync is pointless and is reported as not done.
   */
  readonly unavailable: boolean;

  constructor(message: string, options: { status?: number; unavailable: boolean }) {
    super(message);
    this.name = 'TicketSinkError';
    this.status = options.status;
    this.unavailable = options.unavailable;
  }
}

/**
 * The configured tracker cannot be used (credentials, project, issue type, repository,
 * visibility, a token that cannot be read): the CLI exits 2 with this message.
 */
export class TicketPreflightError extends CustosError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { exitCode: 2, ...options });
    this.name = 'TicketPreflightError';
  }
}

export function isTicketSinkError(error: unknown): error is TicketSinkError {
  return error instanceof TicketSinkError;
}

/** Removes secrets from text: the token itself and the encodings it travels in. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: ReadonlyArray<string | undefined>) {
    const forms = new Set<string>();
    for (const secret of secrets) {
      if (secret === undefined || secret.length < 4) continue;
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
      forms.add(Buffer.from(secret).toString('base64'));
    }
    // Longest first, so that a form containing another is replaced whole.
    this.secrets = [...forms].sort((a, b) => b.length - a.length);
  }

  /** Adds a derived secret, e.g. the Basic credential `email:token` in base64. */
  withSecret(secret: string): Redactor {
    return new Redactor([...this.secrets, secret, Buffer.from(secret).toString('base64')]);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    // Whatever an Authorization header echoed back still holds.
    return out.replace(
      /\b(Basic|Bearer|token)\s+(?=[A-Za-z0-9+/=._-]*\d)[A-Za-z0-9+/=._-]{16,}/g,
      '$1 [REDACTED]',
    );
  }
}

/** A preflight failure as a message naming the problem (never the token). */
export function preflightProblem(
  error: unknown,
  subject: string,
  byStatus: Readonly<Record<number, string>>,
  redactor: Redactor,
): TicketPreflightError {
  if (error instanceof TicketPreflightError) return error;
  if (!isTicketSinkError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new TicketPreflightError(redactor.redact(`${subject} could not be checked: ${message}`));
  }
  const known = error.status === undefined ? undefined : byStatus[error.status];
  return new TicketPreflightError(
    known !== undefined ? `${subject} ${known}` : `${subject} could not be checked: ${error.message}`,
  );
}
