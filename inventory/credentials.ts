/**
 * Credentials for each scanned account: the caller's own, or the audit role assumed with an
 * ExternalId and a session name that carries the run id (it shows in the target account's
 * CloudTrail). Sessions are cached per account and renewed before they expire, so a long scan
 * never runs on an expired token.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type AwsClients, loadService } from './clients.js';

export interface AuditRole {
  readonly roleName: string;
  readonly externalId?: string;
  readonly sessionDurationSeconds: number;
}

/** Renew this long before expiry, so no request is signed with a token about to lapse. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/** `custos-<runId>`, trimmed to STS's 64 characters of `[\w+=,.@-]`. */
export function roleSessionName(runId: string): string {
  return `custos-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/**
 * A provider that assumes `role` in `accountId` using the caller's clients, caches the session
 * and renews it `refreshMarginMs` before it expires (keep the margin shorter than the
 * session's lifetime, or every call renews it). Errors propagate (classified by the caller).
 */
export function assumedRoleProvider(
  callerClients: AwsClients,
  accountId: string,
  role: AuditRole,
  runId: string,
  now: () => number = Date.now,
  refreshMarginMs: number = DEFAULT_REFRESH_MARGIN_MS,
): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;

  async function assume(): Promise<AwsCredentialIdentity> {
    const { AssumeRoleCommand } = await loadService('sts');
    const answer = await callerClients.sts().send(
      new AssumeRoleCommand({
        RoleArn: roleArn(accountId, role.roleName),
        RoleSessionName: roleSessionName(runId),
        DurationSeconds: role.sessionDurationSeconds,
        ...(role.externalId !== undefined && { ExternalId: role.externalId }),
      }),
    );
    const c = answer.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) {
      throw new Error(`AssumeRole into ${accountId} returned no credentials`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken !== undefined && { sessionToken: c.SessionToken }),
      ...(c.Expiration !== undefined && { expiration: new Date(c.Expiration) }),
      accountId,
    };
  }

  return async function assumedRoleCredentials(): Promise<AwsCredentialIdentity> {
    const fresh =
      cached !== undefined &&
      (cached.expiration === undefined || cached.expiration.getTime() - now() > refreshMarginMs);
    if (fresh && cached !== undefined) return cached;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
}
