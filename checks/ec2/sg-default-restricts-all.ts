/**
 * CIS 5.4 (v3.0) / 5.5 (v5.0), FSBP EC2.2: a VPC's default security group (GroupName `default`)
 * has no inbound and no outbound rules. AWS creates it with a self-referencing inbound rule and an
 * all-outbound rule, so it fails until both are removed. One finding per default group.
 */
import type { Check, CheckResult } from '../../core/types.js';
import { groupLabel, securityGroupResource } from '../lib/open-ports.js';
import { describePermissionTargets } from '../lib/security-group-rules.js';

export const sgDefaultRestrictsAll = {
  id: 'ec2.sg.default-restricts-all',
  title: 'Default security groups restrict all inbound and outbound traffic',
  severity: 'medium',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: ['ec2.securityGroups'],
  frameworks: {
    'cis-aws-3.0': ['5.4'],
    'cis-aws-5.0': ['5.5'],
    fsbp: ['EC2.2'],
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.25(1)', 'Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: "Move resources off the VPC's default security group onto purpose-built groups, then delete every inbound and outbound rule of the default group.",
    console:
      'VPC console > Security > Security groups > the group named "default" > Inbound rules / Outbound rules > Edit',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <default-group-id> --ip-permissions <rules> && aws ec2 revoke-security-group-egress --group-id <default-group-id> --ip-permissions <rules>',
  },
  evaluate(input) {
    return input.data['ec2.securityGroups']
      .filter((group) => group.GroupName === 'default')
      .map((group): CheckResult => {
        const inbound = (group.IpPermissions ?? []).map(describePermissionTargets);
        const outbound = (group.IpPermissionsEgress ?? []).map(describePermissionTargets);
        const evidence = {
          groupId: group.GroupId,
          vpcId: group.VpcId ?? null,
          inboundRuleCount: inbound.length,
          outboundRuleCount: outbound.length,
        };
        const resource = securityGroupResource(input.target, group);
        if (inbound.length === 0 && outbound.length === 0) {
          return {
            status: 'PASS',
            ...resource,
            message: `Default security group ${groupLabel(group)} of ${group.VpcId ?? 'its VPC'} has no rules.`,
            evidence,
          };
        }
        return {
          status: 'FAIL',
          ...resource,
          message: `Default security group ${groupLabel(group)} of ${group.VpcId ?? 'its VPC'} has ${inbound.length} inbound and ${outbound.length} outbound rule(s).`,
          evidence: { ...evidence, inboundRules: inbound, outboundRules: outbound },
        };
      });
  },
} satisfies Check<'ec2.securityGroups'>;
