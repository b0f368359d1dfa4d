/**
 * IAM, over awsQuery: the account-level reads custos makes, answered from the calling
 * account's `iam` part of the estate. IAM is global: its endpoint takes requests signed for
 * us-east-1 only.
 */
import { AwsError } from '../aws-error.js';
import type { EstateAccount } from '../estate.js';
import { takePage } from '../paging.js';
import { awsQueryService, QUERY_ITEM, type QueryHandler } from '../protocols/aws-query.js';
import { isoTime } from '../protocols/common.js';
import type { HandlerContext, ServiceModule } from '../service.js';
import { element, list, shapeToXml, struct, textElement, textElements, type XmlShape } from '../xml.js';
import { credentialReportCsv } from './iam-credential-report.js';
import { organizationId, organizationOf } from './organizations.js';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** The one region IAM's global endpoint accepts signatures for. */
export const IAM_SIGNING_REGION = 'us-east-1';

type EstateIam = EstateAccount['iam'];

/** An account the estate does not describe has the IAM of a new account: nothing set. */
const EMPTY_IAM: EstateIam = {
  CredentialReport: [],
  AccountSummary: {},
  VirtualMFADevices: [],
  PasswordPolicy: null,
  OrganizationsFeatures: [],
};

function accountIam(call: HandlerContext): EstateIam {
  return call.sim.estate.accounts[call.caller.accountId]?.iam ?? EMPTY_IAM;
}

/**
 * The first call for an account starts the report and answers STARTED; later calls find it
 * there and answer COMPLETE. AWS keeps one report per account and regenerates it at most every
 * four hours, longer than a simulator lives, so the first report stays.
 */
const generateCredentialReport: QueryHandler = (_input, call) => {
  const reports = call.sim.credentialReports;
  if (reports.has(call.caller.accountId)) return textElement('State', 'COMPLETE');
  // The report's time is to the second, as AWS writes it.
  reports.set(call.caller.accountId, new Date(Math.floor(Date.now() / 1000) * 1000));
  return textElements({
    State: 'STARTED',
    Description: 'No report exists. Starting a new report generation task',
  });
};

const getCredentialReport: QueryHandler = (_input, call) => {
  const generated = call.sim.credentialReports.get(call.caller.accountId);
  if (generated === undefined) {
    throw new AwsError(
      'ReportNotPresent',
      'Credential report does not exist. Use GenerateCredentialReport to generate a credential report.',
      410,
    );
  }
  const csv = credentialReportCsv(accountIam(call).CredentialReport);
  return textElements({
    Content: Buffer.from(csv, 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: generated.toISOString(),
  });
};

/** awsQuery writes a map as `<entry><key>…</key><value>…</value></entry>` elements. */
const getAccountSummary: QueryHandler = (_input, call) => {
  const entries = Object.entries(accountIam(call).AccountSummary).map(([key, value]) =>
    element('entry', textElement('key', key) + textElement('value', value)),
  );
  return element('SummaryMap', entries.join(''));
};

const USER: XmlShape = {
  Path: 'Path',
  UserName: 'UserName',
  UserId: 'UserId',
  Arn: 'Arn',
  CreateDate: 'CreateDate',
};
const VIRTUAL_MFA_DEVICE: XmlShape = {
  SerialNumber: 'SerialNumber',
  User: struct('User', USER),
  EnableDate: 'EnableDate',
};
const ASSIGNMENT_STATUSES = ['Assigned', 'Unassigned', 'Any'];

const listVirtualMfaDevices: QueryHandler = (input, call) => {
  const status = input.string('AssignmentStatus') ?? 'Any';
  if (!ASSIGNMENT_STATUSES.includes(status)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${status}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Any, Assigned, Unassigned]`,
    );
  }
  const devices = accountIam(call).VirtualMFADevices.filter(
    (device) => status === 'Any' || (device.User !== undefined) === (status === 'Assigned'),
  );
  const page = takePage(
    devices,
    { maxResults: input.int('MaxItems'), nextToken: input.string('Marker') },
    { min: 1, max: 1000, unrequested: 100 },
    { queryKey: call.queryKey, maxPageSize: call.sim.maxPageSize },
  );
  const items = page.items.map((device) =>
    device.EnableDate === undefined ? device : { ...device, EnableDate: isoTime(device.EnableDate) },
  );
  const devicesXml = shapeToXml(
    { VirtualMFADevices: items },
    { VirtualMFADevices: list('VirtualMFADevices', VIRTUAL_MFA_DEVICE) },
    QUERY_ITEM,
  );
  return (
    devicesXml +
    textElement('IsTruncated', page.nextToken !== undefined) +
    (page.nextToken === undefined ? '' : textElement('Marker', page.nextToken))
  );
};

const PASSWORD_POLICY: XmlShape = {
  MinimumPasswordLength: 'MinimumPasswordLength',
  RequireSymbols: 'RequireSymbols',
  RequireNumbers: 'RequireNumbers',
  RequireUppercaseCharacters: 'RequireUppercaseCharacters',
  RequireLowercaseCharacters: 'RequireLowercaseCharacters',
  AllowUsersToChangePassword: 'AllowUsersToChangePassword',
  ExpirePasswords: 'ExpirePasswords',
  MaxPasswordAge: 'MaxPasswordAge',
  PasswordReusePrevention: 'PasswordReusePrevention',
  HardExpiry: 'HardExpiry',
};

const getAccountPasswordPolicy: QueryHandler = (_input, call) => {
  const policy = accountIam(call).PasswordPolicy;
  if (policy === null) {
    throw new AwsError(
      'NoSuchEntity',
      `The Password Policy with domain name ${call.caller.accountId} cannot be found.`,
      404,
    );
  }
  return element('PasswordPolicy', shapeToXml(policy, PASSWORD_POLICY, QUERY_ITEM));
};

/**
 * Answered only in the organization's management account (delegated administrators aside),
 * with the features the management account's `iam.OrganizationsFeatures` lists.
 */
const listOrganizationsFeatures: QueryHandler = (_input, call) => {
  const organization = organizationOf(call);
  if (organization === undefined) {
    throw new AwsError(
      'OrganizationNotFoundException',
      'The request was rejected because no organization is associated with your account.',
    );
  }
  const management = organization.managementAccountId;
  if (call.caller.accountId !== management) {
    throw new AwsError(
      'AccountNotManagementOrDelegatedAdministratorException',
      'The request was rejected because the account making the request is not the management account or a delegated administrator account for the organization.',
    );
  }
  const features = call.sim.estate.accounts[management]?.iam.OrganizationsFeatures ?? [];
  return (
    textElement('OrganizationId', organizationId(management)) +
    element('EnabledFeatures', features.map((feature) => textElement(QUERY_ITEM, feature)).join(''))
  );
};

export const iamService: ServiceModule = awsQueryService({
  name: 'iam',
  xmlns: XMLNS,
  operations: {
    GenerateCredentialReport: generateCredentialReport,
    GetCredentialReport: getCredentialReport,
    GetAccountSummary: getAccountSummary,
    ListVirtualMFADevices: listVirtualMfaDevices,
    GetAccountPasswordPolicy: getAccountPasswordPolicy,
    ListOrganizationsFeatures: listOrganizationsFeatures,
  },
  regions: { signedFor: IAM_SIGNING_REGION },
  // IAM names an internal failure ServiceFailure, which the SDK calls ServiceFailureException.
  dialect: { InternalError: ['ServiceFailure', 500] },
});
