/**
 * Organizations, over awsJson1_1: the account list and the organization itself, answered only
 * to the management account, as AWS answers them (delegated administrators aside).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../aws-error.js';
import type { EstateOrganization } from '../estate.js';
import { takePage } from '../paging.js';
import { awsJsonService, epochSeconds, type JsonHandler } from '../protocols/aws-json.js';
import type { HandlerContext, ServiceModule } from '../service.js';

const listAccounts: JsonHandler = (input, call) => {
  const organization = managedOrganization(call, 'ListAccounts');
  const page = takePage(
    organization.accounts,
    { maxResults: input.int('MaxResults'), nextToken: input.string('NextToken') },
    { min: 1, max: 20, unrequested: 20 },
    { queryKey: call.queryKey, maxPageSize: call.sim.maxPageSize },
  );
  const accounts = page.items.map(({ JoinedTimestamp, ...account }) =>
    JoinedTimestamp === undefined ? account : { ...account, JoinedTimestamp: epochSeconds(JoinedTimestamp) },
  );
  return page.nextToken === undefined
    ? { Accounts: accounts }
    : { Accounts: accounts, NextToken: page.nextToken };
};

const describeOrganization: JsonHandler = (_input, call) => {
  const organization = memberOrganization(call);
  const management = organization.managementAccountId;
  const id = organizationId(management);
  const email = organization.accounts.find((account) => account.Id === management)?.Email;
  return {
    Organization: {
      Id: id,
      Arn: `arn:aws:organizations::${management}:organization/${id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: `arn:aws:organizations::${management}:account/${id}/${management}`,
      MasterAccountId: management,
      ...(email === undefined ? {} : { MasterAccountEmail: email }),
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
  };
};

/** The organization the account belongs to, as its management account or a member. */
export function organizationOf(call: HandlerContext): EstateOrganization | undefined {
  const { organization } = call.sim.estate;
  const caller = call.caller.accountId;
  const member =
    organization !== undefined &&
    (organization.managementAccountId === caller ||
      organization.accounts.some((account) => account.Id === caller));
  return member ? organization : undefined;
}

/** The organization, for a caller that belongs to it; AWS answers outsiders as not in use. */
function memberOrganization(call: HandlerContext): EstateOrganization {
  const organization = organizationOf(call);
  if (organization === undefined) {
    throw new AwsError(
      'AWSOrganizationsNotInUseException',
      'Your account is not a member of an organization.',
    );
  }
  return organization;
}

function managedOrganization(call: HandlerContext, operation: string): EstateOrganization {
  const organization = memberOrganization(call);
  if (organization.managementAccountId !== call.caller.accountId) {
    throw new AwsError(
      'AccessDeniedException',
      `You don't have permissions to access this resource. User: ${call.caller.arn} is not authorized to perform: organizations:${operation}; only the management account can.`,
      403,
    );
  }
  return organization;
}

/** `o-` and ten characters, derived from the management account so answers repeat. */
export function organizationId(managementAccountId: string): string {
  const digest = createHash('sha256').update(managementAccountId).digest('hex');
  return `o-${digest.slice(0, 10)}`;
}

export const organizationsService: ServiceModule = awsJsonService({
  name: 'organizations',
  targetPrefix: 'AWSOrganizationsV20161128',
  operations: { ListAccounts: listAccounts, DescribeOrganization: describeOrganization },
  invalidCode: 'InvalidInputException',
  dialect: {
    Throttling: ['TooManyRequestsException', 400],
    RequestLimitExceeded: ['TooManyRequestsException', 400],
    InternalError: ['ServiceException', 500],
  },
});
