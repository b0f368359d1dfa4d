/**
 * Who is calling. Requests are not signature-checked; the access key id in the SigV4 scope
 * says which principal signed, and through it which account's part of the estate answers.
 */
import { randomBytes } from 'node:crypto';

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
}

/** The user the default credentials belong to. */
export const DEFAULT_USER_NAME = 'custos-simulator';

export class Identities {
  readonly defaultCredentials: StaticCredentials;
  readonly #keys = new Map<string, KeyRecord>();

  constructor(defaultAccountId: string) {
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
   * simulator never issued, `bad-token` for a session key sent without its own token.
   */
  resolve(accessKeyId: string, sessionToken: string | undefined): Principal | 'unknown' | 'bad-token' {
    const record = this.#keys.get(accessKeyId);
    if (record === undefined) return 'unknown';
    if (record.sessionToken !== undefined && record.sessionToken !== sessionToken) return 'bad-token';
    return record.principal;
  }

  /** Issues session credentials bound to `principal` for `durationSeconds`. */
  issue(principal: Principal, durationSeconds: number, now: Date): SessionCredentials {
    const credentials: SessionCredentials = {
      accessKeyId: `ASIA${randomKeyChars(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(now.getTime() + durationSeconds * 1000),
    };
    this.#keys.set(credentials.accessKeyId, { principal, sessionToken: credentials.sessionToken });
    return credentials;
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
