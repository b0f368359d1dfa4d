/**
 * The estate's organization-wide Config aggregator: it answers in its own account and region
 * only, and gathers the items of every ACTIVE account of the organization (and of the
 * management account) from each region where that account has a recorder.
 */
import { AwsError } from '../aws-error.js';
import type { Estate, EstateConfigAggregator } from '../estate.js';
import type { HandlerContext } from '../service.js';
import { compareText, type Place, recorderRegions } from './config-store.js';

/** The aggregator the call names, when the caller may use it from the region it called. */
export function callersAggregator(call: HandlerContext, name: string): EstateConfigAggregator {
  const aggregator = call.sim.estate.organization?.configAggregator;
  if (
    aggregator === undefined ||
    aggregator.name !== name ||
    aggregator.accountId !== call.caller.accountId ||
    aggregator.region !== call.region
  ) {
    // AWS keeps aggregators per account and region: elsewhere, the name is unknown.
    throw new AwsError(
      'NoSuchConfigurationAggregatorException',
      'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
    );
  }
  return aggregator;
}

/** The accounts the aggregator gathers from, in id order. */
export function sourceAccounts(estate: Estate): string[] {
  const organization = estate.organization;
  if (organization === undefined) return [];
  const ids = new Set([
    organization.managementAccountId,
    ...organization.accounts.filter((account) => account.State === 'ACTIVE').map((account) => account.Id),
  ]);
  return [...ids].filter((id) => recorderRegions(estate, id).length > 0).sort(compareText);
}

/** Every place the aggregator gathers from: by account, then region. */
export function sourcePlaces(estate: Estate): Place[] {
  return sourceAccounts(estate).flatMap((accountId) =>
    recorderRegions(estate, accountId).map((region) => ({ accountId, region })),
  );
}
