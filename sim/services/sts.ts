/**
 * STS, over awsQuery: who the caller is, and AssumeRole into the estate's accounts. Issued
 * credentials are bound to the target account, so every later call signed with them is
 * answered from that account's part of the estate.
 */
import { AwsError } from '../aws-error.js';
import { randomKeyChars } from '../identity.js';
import { awsQueryService, type QueryHandler } from '../protocols/aws-query.js';
import type { FormInput } from '../protocols/form.js';
import type { HandlerContext, ServiceModule } from '../service.js';
import { element, textElements } from '../xml.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const getCallerIdentity: QueryHandler = (_input, call) =>
  textElements({ UserId: call.caller.userId, Account: call.caller.accountId, Arn: call.caller.arn });

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** AWS caps a session assumed from another assumed-role session at one hour. */
const CHAINED_MAX_SECONDS = 3600;

const assumeRole: QueryHandler = (input, call) => {
  const { roleArn, accountId, roleName, sessionName, externalId, duration } = readAssumeRole(input);
  if (call.caller.assumedRole && duration > CHAINED_MAX_SECONDS) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (!mayAssume(call, accountId, roleName, externalId)) {
    throw new AwsError(
      'AccessDenied',
      `User: ${call.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
  }
  const roleId = `AROA${randomKeyChars(17)}`;
  const arn = `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
  const credentials = call.sim.identities.issue(
    { accountId, arn, userId: `${roleId}:${sessionName}`, assumedRole: true },
    duration,
  );
  return (
    element(
      'Credentials',
      textElements({
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      }),
    ) + element('AssumedRoleUser', textElements({ AssumedRoleId: `${roleId}:${sessionName}`, Arn: arn }))
  );
};

function readAssumeRole(input: FormInput) {
  const roleArn = required(input, 'RoleArn');
  const sessionName = required(input, 'RoleSessionName');
  const externalId = input.string('ExternalId');
  const duration = input.int('DurationSeconds') ?? 3600;
  const match = ROLE_ARN.exec(roleArn);
  if (match === null) throw invalid(`${roleArn} is invalid`, 'roleArn');
  if (!SESSION_NAME.test(sessionName)) {
    throw invalid(
      `'${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw invalid(
      `'${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`,
    );
  }
  if (duration < 900 || duration > 43_200) {
    throw invalid(
      `'${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  return { roleArn, accountId: match[1] ?? '', roleName: match[2] ?? '', sessionName, externalId, duration };
}

/**
 * The estate's trust rules: the account must be in the estate and, within an organization,
 * ACTIVE; when the account names a role, only that role and (if set) that ExternalId are let in.
 */
function mayAssume(
  call: HandlerContext,
  accountId: string,
  roleName: string,
  externalId: string | undefined,
): boolean {
  const { estate } = call.sim;
  const account = estate.accounts[accountId];
  if (account === undefined) return false;
  const member = estate.organization?.accounts.find((candidate) => candidate.Id === accountId);
  if (member?.State !== undefined && member.State !== 'ACTIVE') return false;
  const trust = account.assumeRole;
  if (trust === undefined) return true;
  if (trust.roleName !== roleName) return false;
  return trust.externalId === undefined || trust.externalId === externalId;
}

function required(input: FormInput, name: string): string {
  const value = input.string(name);
  if (value === undefined || value === '') {
    throw invalid(
      `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function invalid(message: string, field?: string): AwsError {
  return new AwsError('ValidationError', field === undefined ? message : `${field}: ${message}`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export const stsService: ServiceModule = awsQueryService({
  name: 'sts',
  xmlns: XMLNS,
  operations: { GetCallerIdentity: getCallerIdentity, AssumeRole: assumeRole },
  // A scanner discovers accounts from a fixed home region (us-east-1, say) that an estate need
  // not list under `regions`; STS answers there, and everywhere but a disabled region.
  regions: 'not-disabled',
});
