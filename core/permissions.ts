/**
 * The read-only IAM policy a scan needs, derived from the collectors the selected checks use:
 * no action is written anywhere but on its collector.
 */
import { ConfigInventory } from '../inventory/config/inventory.js';
import { ACCOUNT_DISCOVERY_ACTIONS, ORGANIZATION_DISCOVERY_ACTIONS } from '../inventory/discovery.js';
import { collectorFor, type InventorySource, withDependencies } from '../inventory/registry.js';
import type { AnyCheck, CollectorId } from './types.js';

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Action: readonly string[];
    readonly Resource: '*';
  }>;
}

export type PolicyRole = 'audit' | 'organization';

/**
 * Actions for the role in each scanned account (`audit`) or for the organization reader. With
 * AWS Config as the source the API actions stay (what Config does not record, or a region it
 * does not record, is read from the API); `config` adds Config's queries to the audit role,
 * `config-aggregator` adds the aggregator's to the identity that runs custos, which is where
 * the aggregator lives.
 */
export function requiredActions(
  checks: readonly AnyCheck[],
  role: PolicyRole,
  source: InventorySource = 'api',
): string[] {
  const ids = withDependencies(new Set(checks.flatMap((c) => c.needs as readonly CollectorId[])), source);
  const actions = new Set<string>(
    role === 'audit' ? ACCOUNT_DISCOVERY_ACTIONS : ORGANIZATION_DISCOVERY_ACTIONS,
  );
  if (
    (source === 'config' && role === 'audit') ||
    (source === 'config-aggregator' && role === 'organization')
  ) {
    for (const a of ConfigInventory.actionsFor(source)) actions.add(a);
  }
  for (const id of ids) {
    const collector = collectorFor(id, source);
    const isOrganizationScope = collector.scope === 'organization';
    if (isOrganizationScope === (role === 'organization')) for (const a of collector.actions) actions.add(a);
  }
  return [...actions].sort();
}

export function policyDocument(
  checks: readonly AnyCheck[],
  role: PolicyRole,
  source: InventorySource = 'api',
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: role === 'audit' ? 'CustosAuditReadOnly' : 'CustosOrganizationReadOnly',
        Effect: 'Allow',
        Action: requiredActions(checks, role, source),
        Resource: '*',
      },
    ],
  };
}
