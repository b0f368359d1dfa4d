/**
 * Data minimisation for recorded estates. Unless identifiers are kept, a recording:
 * - drops every `Tags` / `TagSet` list;
 * - records no account email (the organization's accounts carry Id, Name and State only) and
 *   replaces an S3 ACL grantee's email address with a placeholder (`grantee-001@example.invalid`);
 * - drops `DisplayName` from S3 ACL owners and grantees (it is the account's name);
 * - replaces account names with `account-<last 4 digits>`;
 * - replaces IAM user names with `user-001`, `user-002`, … consistently in the credential
 *   report's `user` and `arn` columns and in `VirtualMFADevices[].User` (the root user stays
 *   `<root_account>`), and virtual MFA device names with `mfa-001`, … (devices are often named
 *   after their user; a device assigned to root keeps its name).
 * Nothing that decides a verdict changes: bucket policies, CIDRs, ports, flags and dates are
 * kept as collected, and each real name maps to one pseudonym.
 */
import type { BucketAcl, CredentialReportRow, VirtualMfaDevice } from '../../core/aws-shapes.js';

const ROOT_USER = '<root_account>';
const USER_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:user\/)(.+)$/;
const MFA_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:mfa\/)(.+)$/;
const ROOT_ARN = /^arn:aws[a-z-]*:iam::\d{12}:root$/;

const number = (n: number) => String(n).padStart(3, '0');

/**
 * Stable pseudonyms for one recording: the same real name in the same account always gets the
 * same pseudonym, numbered in the order the recording meets them.
 */
export class Pseudonyms {
  readonly #users = new Map<string, string>();
  readonly #devices = new Map<string, string>();
  readonly #emails = new Map<string, string>();

  user(accountId: string, name: string): string {
    return next(this.#users, `${accountId}/${name}`, (n) => `user-${number(n)}`);
  }

  device(accountId: string, name: string): string {
    return next(this.#devices, `${accountId}/${name}`, (n) => `mfa-${number(n)}`);
  }

  email(address: string): string {
    return next(this.#emails, address, (n) => `grantee-${number(n)}@example.invalid`);
  }
}

function next(map: Map<string, string>, key: string, make: (n: number) => string): string {
  let value = map.get(key);
  if (value === undefined) {
    value = make(map.size + 1);
    map.set(key, value);
  }
  return value;
}

/** The account name a recording shows: `account-1234` for account 000000001234. */
export function accountAlias(accountId: string): string {
  return `account-${accountId.slice(-4)}`;
}

/** A copy of an EC2 object without its tags. */
export function withoutTags<T extends object>(item: T): T {
  const { Tags: _tags, TagSet: _tagSet, ...rest } = item as T & { Tags?: unknown; TagSet?: unknown };
  return rest as T;
}

/** The user name an ARN ends with (after any IAM path), or undefined for other ARNs. */
function userNameOfArn(arn: string | undefined): string | undefined {
  const match = arn === undefined ? null : USER_ARN.exec(arn);
  if (match === null) return undefined;
  const pathAndName = match[2] ?? '';
  return pathAndName.slice(pathAndName.lastIndexOf('/') + 1);
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

/**
 * A credential-report row with the user's name replaced. Missing and empty `user` and `arn`
 * cells stay missing or empty, and a root row stays as it is, so the checks read the row as
 * before.
 */
export function pseudonymiseReportRow(
  row: CredentialReportRow,
  accountId: string,
  names: Pseudonyms,
): CredentialReportRow {
  if (row.user === ROOT_USER || ROOT_ARN.test(row.arn ?? '')) return row;
  const realName = nonEmpty(row.user) ?? userNameOfArn(nonEmpty(row.arn));
  if (realName === undefined) return row;
  const alias = names.user(accountId, realName);
  const out: Record<string, string> = { ...row };
  if (nonEmpty(row.user) !== undefined) out.user = alias;
  const arn = nonEmpty(row.arn);
  if (arn !== undefined) out.arn = pseudonymiseArn(arn, realName, alias);
  return out;
}

/** A user ARN becomes `…:user/<alias>` (the IAM path goes too); anything else loses the name. */
function pseudonymiseArn(arn: string, realName: string, alias: string): string {
  const match = USER_ARN.exec(arn);
  if (match !== null) return `${match[1]}${alias}`;
  return arn.split(realName).join(alias);
}

/** A virtual MFA device with its user's name and its own name replaced. */
export function pseudonymiseMfaDevice(
  device: VirtualMfaDevice,
  accountId: string,
  names: Pseudonyms,
): VirtualMfaDevice {
  const user = device.User;
  const root = user?.Arn !== undefined && ROOT_ARN.test(user.Arn);
  const serial = MFA_ARN.exec(device.SerialNumber);
  const SerialNumber =
    root || serial === null ? device.SerialNumber : `${serial[1]}${names.device(accountId, serial[2] ?? '')}`;
  if (user === undefined || root) return { ...device, SerialNumber };
  const realName = nonEmpty(user.UserName) ?? userNameOfArn(nonEmpty(user.Arn));
  if (realName === undefined) return { ...device, SerialNumber };
  const alias = names.user(accountId, realName);
  return {
    ...device,
    SerialNumber,
    User: {
      ...user,
      ...(user.UserName !== undefined && {
        UserName: nonEmpty(user.UserName) === undefined ? user.UserName : alias,
      }),
      ...(user.Arn !== undefined && {
        Arn: nonEmpty(user.Arn) === undefined ? user.Arn : pseudonymiseArn(user.Arn, realName, alias),
      }),
    },
  };
}

/** A bucket ACL without display names, and with grantee email addresses replaced. */
export function minimiseAcl(acl: BucketAcl, names: Pseudonyms): BucketAcl {
  return {
    ...(acl.Owner !== undefined && { Owner: withoutDisplayName(acl.Owner) }),
    ...(acl.Grants !== undefined && {
      Grants: acl.Grants.map((grant) => {
        if (grant.Grantee === undefined) return grant;
        const grantee = withoutDisplayName(grant.Grantee);
        return {
          ...grant,
          Grantee: {
            ...grantee,
            ...(grantee.EmailAddress !== undefined && { EmailAddress: names.email(grantee.EmailAddress) }),
          },
        };
      }),
    }),
  };
}

function withoutDisplayName<T extends { DisplayName?: string }>(party: T): Omit<T, 'DisplayName'> {
  const { DisplayName: _name, ...rest } = party;
  return rest;
}
