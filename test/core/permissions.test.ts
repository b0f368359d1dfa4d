import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../checks/registry.js';
import { policyDocument, requiredActions } from '../../core/permissions.js';
import type { CollectorId } from '../../core/types.js';
import { COLLECTORS } from '../../inventory/registry.js';

const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List|Generate)[A-Za-z0-9]*$/;

describe('custos permissions', () => {
  it('derives a valid read-only policy for every check', () => {
    // Act
    const policy = policyDocument(ALL_CHECKS, 'audit');

    // Assess
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement?.Effect).toBe('Allow');
    expect(statement?.Resource).toBe('*');
    expect(statement?.Action.length).toBeGreaterThan(10);
    for (const action of statement?.Action ?? []) expect(action).toMatch(READ_ONLY);
    expect(new Set(statement?.Action).size).toBe(statement?.Action.length);
  });

  it('asks only for what the selected checks collect', () => {
    // Prepare
    const volumeCheck = ALL_CHECKS.filter((c) => c.id === 'ec2.ebs.volume-unencrypted');

    // Act
    const actions = requiredActions(volumeCheck, 'audit');

    // Assess
    expect(actions).toEqual(['ec2:DescribeRegions', 'ec2:DescribeVolumes']);
  });

  it('puts organization-wide reads on the organization reader, not the audit role', () => {
    const audit = requiredActions(ALL_CHECKS, 'audit');
    const organization = requiredActions(ALL_CHECKS, 'organization');
    expect(organization).toContain('organizations:ListAccounts');
    expect(organization).toContain('iam:ListOrganizationsFeatures');
    expect(audit).not.toContain('iam:ListOrganizationsFeatures');
  });

  it('knows a collector for every id a check needs', () => {
    for (const check of ALL_CHECKS) {
      for (const id of check.needs as readonly CollectorId[])
        expect(COLLECTORS[id], `${check.id} needs ${id}`).toBeDefined();
    }
  });

  it('pairs global checks with account collectors and regional checks with regional ones', () => {
    for (const check of ALL_CHECKS) {
      for (const id of check.needs as readonly CollectorId[]) {
        const scope = COLLECTORS[id]?.scope;
        if (scope === 'organization') continue;
        expect(scope, `${check.id} needs ${id}`).toBe(check.scope === 'global' ? 'account' : 'regional');
      }
    }
  });
});
