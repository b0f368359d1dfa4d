import { describe, expect, it } from 'vitest';
import { applicableExclusion, vpcBlockPublicAccessFor } from '../../../checks/lib/vpc-block-public-access.js';
import type { VpcBlockPublicAccessExclusion } from '../../../core/aws-shapes.js';
import { ACCOUNT_ID, REGION, SUBNET_ID, VPC_ID } from '../ec2/fixtures.js';

const SUBNET_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/${SUBNET_ID}`;
const VPC_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:vpc/${VPC_ID}`;

function exclusion(
  resourceArn: string,
  mode: 'allow-bidirectional' | 'allow-egress',
  state = 'create-complete',
): VpcBlockPublicAccessExclusion {
  return {
    ExclusionId: `exclusion-${mode}`,
    ResourceArn: resourceArn,
    InternetGatewayExclusionMode: mode,
    State: state,
  };
}

const RESOURCE = { subnetId: SUBNET_ID, vpcId: VPC_ID };

describe('vpcBlockPublicAccessFor', () => {
  it.each([
    { name: 'no options at all', mode: undefined, exclusions: [], ingress: false, egress: false },
    { name: 'off', mode: 'off', exclusions: [], ingress: false, egress: false },
    { name: 'block-ingress', mode: 'block-ingress', exclusions: [], ingress: true, egress: false },
    { name: 'block-bidirectional', mode: 'block-bidirectional', exclusions: [], ingress: true, egress: true },
    {
      name: 'block-bidirectional, subnet excluded allow-bidirectional',
      mode: 'block-bidirectional',
      exclusions: [exclusion(SUBNET_ARN, 'allow-bidirectional')],
      ingress: false,
      egress: false,
    },
    {
      name: 'block-bidirectional, subnet excluded allow-egress',
      mode: 'block-bidirectional',
      exclusions: [exclusion(SUBNET_ARN, 'allow-egress')],
      ingress: true,
      egress: false,
    },
    {
      name: 'block-ingress, VPC excluded allow-bidirectional (by ARN)',
      mode: 'block-ingress',
      exclusions: [exclusion(VPC_ARN, 'allow-bidirectional')],
      ingress: false,
      egress: false,
    },
    {
      name: 'block-ingress, VPC excluded by bare id',
      mode: 'block-ingress',
      exclusions: [exclusion(VPC_ID, 'allow-bidirectional')],
      ingress: false,
      egress: false,
    },
    {
      name: 'block-ingress, allow-egress never re-admits inbound',
      mode: 'block-ingress',
      exclusions: [exclusion(VPC_ARN, 'allow-egress')],
      ingress: true,
      egress: false,
    },
    {
      name: 'an exclusion still being created does not count',
      mode: 'block-ingress',
      exclusions: [exclusion(SUBNET_ARN, 'allow-bidirectional', 'create-in-progress')],
      ingress: true,
      egress: false,
    },
    {
      name: 'a deleted exclusion does not count',
      mode: 'block-ingress',
      exclusions: [exclusion(SUBNET_ARN, 'allow-bidirectional', 'delete-complete')],
      ingress: true,
      egress: false,
    },
    {
      name: 'an updated exclusion counts',
      mode: 'block-ingress',
      exclusions: [exclusion(SUBNET_ARN, 'allow-bidirectional', 'update-complete')],
      ingress: false,
      egress: false,
    },
    {
      name: "another subnet's exclusion does not count",
      mode: 'block-ingress',
      exclusions: [
        exclusion(`arn:aws:ec2:${REGION}:${ACCOUNT_ID}:subnet/subnet-other`, 'allow-bidirectional'),
      ],
      ingress: true,
      egress: false,
    },
  ])('$name → ingress blocked $ingress, egress blocked $egress', ({ mode, exclusions, ingress, egress }) => {
    // Prepare
    const bpa = {
      options: mode === undefined ? null : { InternetGatewayBlockMode: mode, State: 'update-complete' },
      exclusions,
    };

    // Act
    const verdict = vpcBlockPublicAccessFor(bpa, RESOURCE);

    // Assess
    expect(verdict.mode).toBe(mode ?? 'off');
    expect(verdict.ingressBlocked).toBe(ingress);
    expect(verdict.egressBlocked).toBe(egress);
  });

  it('assumes no block while the options are being updated', () => {
    // Prepare
    const bpa = {
      options: { InternetGatewayBlockMode: 'block-ingress', State: 'update-in-progress' },
      exclusions: [],
    };

    // Act
    const verdict = vpcBlockPublicAccessFor(bpa, RESOURCE);

    // Assess
    expect(verdict.ingressBlocked).toBe(false);
  });

  it("prefers the subnet's exclusion over its VPC's", () => {
    // Prepare
    const exclusions = [exclusion(VPC_ARN, 'allow-egress'), exclusion(SUBNET_ARN, 'allow-bidirectional')];

    // Act
    const found = applicableExclusion(exclusions, RESOURCE);

    // Assess
    expect(found?.ResourceArn).toBe(SUBNET_ARN);
  });
});
