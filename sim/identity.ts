/**
 * Who is calling. Requests are not signature-checked; the access key id in the SigV4 scope
 * says which principal signed, and through it which account's part of the estate answers.
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from './aws-error.js';

export interface Principal {
  readonly accountId: string;
  /** As GetCallerIdentity returns it and AWS quotes it in AccessDenied messages. */
  readonly arn: string;
  readonly userId: string;
  /** True for AssumeRole sessions: chaining from one caps the new session at an hour. */
  readonly assumedRole: boolean;
}

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SessionCredentials extends StaticCredentials {
  readonly sessionToken: string;
  readonly expiration: Date;
}

interface KeyRecord {
  readonly principal: Principal;
  /** Present for session credentials: requests must carry the same token. */
  readonly sessionToken?: string;
  /** Present for session credentials: calls signed after it are refused as expired. */
  readonly expiration?: Date;
}

export interface IdentityOptions {
  /**
   * Caps every issued session at this many milliseconds, whatever DurationSeconds asked for,
   * so a test can see sessions expire mid-scan. Default: the duration asked for.
   */
  readonly sessionTtlMs?: number;
  /** The clock sessions expire by, in milliseconds. Default: Date.now. */
  readonly now?: () => number;
}

/** The user the default credentials belong to. */
export const DEFAULT_USER_NAME = 'custos-simulator';

export class Identities {
  readonly defaultCredentials: StaticCredentials;
  readonly #keys = new Map<string, KeyRecord>();
  readonly #sessionTtlMs: number | undefined;
  readonly #now: () => number;

  constructor(defaultAccountId: string, options: IdentityOptions = {}) {
    const { sessionTtlMs } = options;
    if (sessionTtlMs !== undefined && !(Number.isFinite(sessionTtlMs) && sessionTtlMs > 0)) {
      throw new RangeError(`sessionTtlMs must be a positive number, got ${sessionTtlMs}`);
    }
    this.#sessionTtlMs = sessionTtlMs;
    this.#now = options.now ?? Date.now;
    this.defaultCredentials = {
      accessKeyId: `AKIA${randomKeyChars(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
    };
    this.#keys.set(this.defaultCredentials.accessKeyId, {
      principal: {
        accountId: defaultAccountId,
        arn: `arn:aws:iam::${defaultAccountId}:user/${DEFAULT_USER_NAME}`,
        userId: `AIDA${randomKeyChars(17)}`,
        assumedRole: false,
      },
    });
  }

  /**
   * The principal behind an access key, or why it is refused: `unknown` for a key the
   * simulator never issued, `bad-token` for a session key sent without its own token,
   * `expired` for a session used at or after its expiration.
   */
  resolve(
    accessKeyId: string,
    sessionToken: string | undefined,
  ): Principal | 'unknown' | 'bad-token' | 'expired' {
    const record = this.#keys.get(accessKeyId);
    if (record === undefined) return 'unknown';
    if (record.sessionToken !== undefined && record.sessionToken !== sessionToken) return 'bad-token';
    if (record.expiration !== undefined && this.#now() >= record.expiration.getTime()) return 'expired';
    return record.principal;
  }

  /**
   * Issues session credentials bound to `principal` for `durationSeconds` (capped by the
   * `sessionTtlMs` option), counted from `now` (default: the identities' clock).
   */
  issue(
    principal: Principal,
    durationSeconds: number,
    now: Date = new Date(this.#now()),
  ): SessionCredentials {
    const lifetimeMs = Math.min(durationSeconds * 1000, this.#sessionTtlMs ?? Number.POSITIVE_INFINITY);
    const credentials: SessionCredentials = {
      accessKeyId: `ASIA${randomKeyChars(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(now.getTime() + lifetimeMs),
    };
    this.#keys.set(credentials.accessKeyId, {
      principal,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
    });
    return credentials;
  }
}

/**
 * What AWS answers a call signed with an expired session token, by the service that signs it:
 * EC2 `RequestExpired`, the awsQuery services (IAM, STS) `ExpiredToken` 403, S3 and S3 Control
 * `ExpiredToken` 400, the JSON services (Organizations, Config) `ExpiredTokenException` 400.
 */
export function expiredSessionError(service: string): AwsError {
  switch (service) {
    case 'ec2':
      return new AwsError('RequestExpired', 'Request has expired.', 400);
    case 'iam':
    case 'sts':
      return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
    case 's3':
    case 's3control':
      return new AwsError('ExpiredToken', 'The provided token has expired.', 400);
    default:
      return new AwsError(
        'ExpiredTokenException',
        'The security token included in the request is expired',
        400,
      );
  }
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Upper-case letters and digits 2–7, as in AWS key and principal ids. */
export function randomKeyChars(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return out;
}
