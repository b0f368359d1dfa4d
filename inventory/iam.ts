/**
 * IAM collectors, once per account (IAM is global). The credential report is requested once
 * per account and polled with a bound; it can be up to four hours old, so its GeneratedTime
 * travels with the rows.
 */
import type { GetCredentialReportCommandOutput } from '@aws-sdk/client-iam';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  CredentialReportRowSchema,
  PasswordPolicySchema,
  VirtualMfaDeviceSchema,
} from '../core/aws-shapes.js';
import type { CredentialReport } from '../core/types.js';
import { loadService } from './clients.js';
import { type Collector, drain, parseAws } from './collector.js';
import { CollectorDataError } from './errors.js';

/** Waits between GenerateCredentialReport polls; the sum bounds the wait to about a minute. */
export const CREDENTIAL_REPORT_POLL_MS = [200, 500, 1000, 2000, 4000, 8000, 15000, 30000] as const;
const MFA_PAGE = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : undefined;
}

export const credentialReport: Collector<'iam.credentialReport'> = {
  id: 'iam.credentialReport',
  scope: 'account',
  actions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
  async collect(ctx) {
    const { GenerateCredentialReportCommand, GetCredentialReportCommand } = await loadService('iam');
    const iam = ctx.clients.iam();
    for (let attempt = 0; ; attempt += 1) {
      const generated = await iam.send(new GenerateCredentialReportCommand({}));
      if (generated.State === 'COMPLETE') break;
      const wait = CREDENTIAL_REPORT_POLL_MS[attempt];
      if (wait === undefined) {
        throw new CollectorDataError(
          `the credential report was still ${generated.State ?? 'not ready'} after polling`,
        );
      }
      await sleep(wait);
    }
    let answer: GetCredentialReportCommandOutput;
    try {
      answer = await iam.send(new GetCredentialReportCommand({}));
    } catch (error) {
      if (errorName(error) === 'CredentialReportNotReadyException') {
        throw new CollectorDataError('the credential report was reported COMPLETE but is not ready');
      }
      throw error;
    }
    if (answer.Content === undefined) throw new CollectorDataError('GetCredentialReport returned no content');
    return {
      GeneratedTime: parseAws(
        z.union([z.string(), z.date().transform((d) => d.toISOString())]),
        answer.GeneratedTime,
        'GetCredentialReport.GeneratedTime',
      ),
      rows: decodeCredentialReport(answer.Content),
    } satisfies CredentialReport;
  },
};

/** The report's CSV (the SDK hands over the decoded bytes) as one record per row. */
export function decodeCredentialReport(content: Uint8Array): CredentialReport['rows'] {
  const text = new TextDecoder('utf-8').decode(content);
  let records: unknown;
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new CollectorDataError(`the credential report is not valid CSV: ${(error as Error).message}`);
  }
  return parseAws(z.array(CredentialReportRowSchema), records, 'GetCredentialReport.Content');
}

export const accountSummary: Collector<'iam.accountSummary'> = {
  id: 'iam.accountSummary',
  scope: 'account',
  actions: ['iam:GetAccountSummary'],
  async collect(ctx) {
    const { GetAccountSummaryCommand } = await loadService('iam');
    const answer = await ctx.clients.iam().send(new GetAccountSummaryCommand({}));
    return parseAws(
      z.record(z.string(), z.number()),
      answer.SummaryMap ?? {},
      'GetAccountSummary.SummaryMap',
    );
  },
};

export const virtualMfaDevices: Collector<'iam.virtualMfaDevices'> = {
  id: 'iam.virtualMfaDevices',
  scope: 'account',
  actions: ['iam:ListVirtualMFADevices'],
  async collect(ctx) {
    const { paginateListVirtualMFADevices } = await loadService('iam');
    const pages = paginateListVirtualMFADevices(
      { client: ctx.clients.iam(), pageSize: MFA_PAGE },
      { AssignmentStatus: 'Any' },
    );
    const devices = await drain(pages, (p) => p.VirtualMFADevices);
    return parseAws(z.array(VirtualMfaDeviceSchema), devices, 'ListVirtualMFADevices');
  },
};

export const passwordPolicy: Collector<'iam.passwordPolicy'> = {
  id: 'iam.passwordPolicy',
  scope: 'account',
  actions: ['iam:GetAccountPasswordPolicy'],
  async collect(ctx) {
    const { GetAccountPasswordPolicyCommand } = await loadService('iam');
    try {
      const answer = await ctx.clients.iam().send(new GetAccountPasswordPolicyCommand({}));
      return parseAws(PasswordPolicySchema, answer.PasswordPolicy, 'GetAccountPasswordPolicy');
    } catch (error) {
      // No policy is an answer: the account uses IAM's default rules.
      if (errorName(error) === 'NoSuchEntityException') return null;
      throw error;
    }
  },
};

/** Errors that mean "this caller cannot see centralized root access": answers, not gaps. */
const NOT_AN_ORGANIZATION_MANAGER = new Set([
  'AccountNotManagementOrDelegatedAdministratorException',
  'OrganizationNotFoundException',
  'OrganizationNotInAllFeaturesModeException',
  'ServiceAccessNotEnabledException',
]);

export const organizationsFeatures: Collector<'iam.organizationsFeatures'> = {
  id: 'iam.organizationsFeatures',
  scope: 'organization',
  actions: ['iam:ListOrganizationsFeatures'],
  async collect(ctx) {
    const { ListOrganizationsFeaturesCommand } = await loadService('iam');
    try {
      const answer = await ctx.clients.iam().send(new ListOrganizationsFeaturesCommand({}));
      return {
        features: parseAws(z.array(z.string()), answer.EnabledFeatures ?? [], 'ListOrganizationsFeatures'),
        source: 'management' as const,
        managementAccountId: ctx.target.accountId,
      };
    } catch (error) {
      const name = errorName(error);
      if (name !== undefined && NOT_AN_ORGANIZATION_MANAGER.has(name)) return null;
      throw error;
    }
  },
};

export const iamCollectors = [
  credentialReport,
  accountSummary,
  virtualMfaDevices,
  passwordPolicy,
  organizationsFeatures,
] as const;
