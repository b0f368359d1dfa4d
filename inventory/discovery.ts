/**
 * What a plan needs to know before any target is scanned: who the caller is, which accounts
 * the organization holds, and which regions each account has enabled.
 */
import { z } from 'zod';
import type { OrganizationAccount } from '../core/aws-shapes.js';
import { OrganizationAccountSchema } from '../core/aws-shapes.js';
import { type AwsClients, loadService } from './clients.js';
import { drain, parseAws } from './collector.js';

/** Organizations pages ListAccounts at 20 at most. */
const LIST_ACCOUNTS_PAGE = 20;

export async function callerAccountId(clients: AwsClients): Promise<string> {
  const { GetCallerIdentityCommand } = await loadService('sts');
  const identity = await clients.sts().send(new GetCallerIdentityCommand({}));
  return parseAws(z.string().regex(/^\d{12}$/), identity.Account, 'GetCallerIdentity.Account');
}

export async function organizationAccounts(clients: AwsClients): Promise<OrganizationAccount[]> {
  const { paginateListAccounts } = await loadService('organizations');
  const pages = paginateListAccounts({ client: clients.organizations(), pageSize: LIST_ACCOUNTS_PAGE }, {});
  const accounts = await drain(pages, (p) => p.Accounts);
  return parseAws(z.array(OrganizationAccountSchema), accounts, 'ListAccounts');
}

export interface RegionStatus {
  readonly name: string;
  /** `opt-in-not-required`, `opted-in` or `not-opted-in`. */
  readonly optInStatus: string;
  readonly enabled: boolean;
}

/** Every region with its opt-in status (AllRegions=true), so disabled ones can be reported. */
export async function accountRegions(clients: AwsClients, homeRegion: string): Promise<RegionStatus[]> {
  const { DescribeRegionsCommand } = await loadService('ec2');
  const answer = await clients.ec2(homeRegion).send(new DescribeRegionsCommand({ AllRegions: true }));
  const regions = parseAws(
    z.array(z.object({ RegionName: z.string(), OptInStatus: z.string().optional() })),
    answer.Regions ?? [],
    'DescribeRegions',
  );
  return regions
    .map((r) => {
      const optInStatus = r.OptInStatus ?? 'opt-in-not-required';
      return {
        name: r.RegionName,
        optInStatus,
        enabled: optInStatus === 'opt-in-not-required' || optInStatus === 'opted-in',
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** IAM actions discovery needs in each scanned account (through the audit role). */
export const ACCOUNT_DISCOVERY_ACTIONS = ['ec2:DescribeRegions'] as const;
/** IAM actions the caller needs to list the organization (management account or delegated admin). */
export const ORGANIZATION_DISCOVERY_ACTIONS = ['organizations:ListAccounts'] as const;
