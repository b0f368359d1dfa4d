/**
 * FSBP EC2.18: a rule that admits 0.0.0.0/0 or ::/0 opens only the ports in `network.publicPorts`
 * (default 80 and 443). All-protocol rules open every port; ICMP and ICMPv6 rules open no port and
 * are not judged here. "Anywhere" is literal, as in the control; prefix lists are expanded.
 */
import type { Check, CheckResult } from '../../core/types.js';
import { isAnywhere } from '../lib/cidr.js';
import { groupLabel, securityGroupResource } from '../lib/open-ports.js';
import { uniquePorts } from '../lib/ports.js';
import {
  describePermission,
  describeSource,
  describeUnassessable,
  inboundSources,
  portsOpenedOutside,
  prefixListIndex,
} from '../lib/security-group-rules.js';

export const sgUnauthorizedPortPublic = {
  id: 'ec2.sg.unauthorized-port-public',
  title: 'Security groups admit the internet only on authorized public ports',
  severity: 'medium',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: ['ec2.securityGroups', 'ec2.prefixLists'],
  frameworks: {
    fsbp: ['EC2.18'],
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Narrow inbound rules open to 0.0.0.0/0 or ::/0 to the authorized public ports (network.publicPorts), or restrict their sources; add a port to network.publicPorts only if it is meant to face the internet.',
    console:
      'EC2 console > Network & Security > Security Groups > select the group > Inbound rules > Edit inbound rules',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=<protocol>,FromPort=<from>,ToPort=<to>,IpRanges=[{CidrIp=0.0.0.0/0}]',
  },
  evaluate(input, settings) {
    const publicPorts = uniquePorts(settings.network.publicPorts);
    const prefixLists = prefixListIndex(input.data['ec2.prefixLists']);
    return input.data['ec2.securityGroups'].map((group): CheckResult => {
      const resource = securityGroupResource(input.target, group);
      const { sources, unassessable } = inboundSources(group, prefixLists);
      const openRules = sources.flatMap(({ permission, source }) => {
        if (!isAnywhere(source.cidr)) return [];
        const ports = portsOpenedOutside(permission, publicPorts);
        return ports.length === 0
          ? []
          : [{ ...describePermission(permission), unauthorizedPorts: ports, ...describeSource(source) }];
      });
      const problems = [
        ...new Set(
          unassessable
            .filter(({ permission }) => portsOpenedOutside(permission, publicPorts).length > 0)
            .map(({ problem }) => describeUnassessable(problem)),
        ),
      ];
      const base = { groupId: group.GroupId, vpcId: group.VpcId ?? null, publicPorts };
      if (openRules.length > 0) {
        const ports = [...new Set(openRules.flatMap((rule) => rule.unauthorizedPorts))].join(', ');
        return {
          status: 'FAIL',
          ...resource,
          message: `Security group ${groupLabel(group)} admits the internet (0.0.0.0/0 or ::/0) on ports outside the authorized public ports: ${ports}.`,
          evidence: { ...base, openRules, ...(problems.length > 0 ? { unassessable: problems } : {}) },
        };
      }
      if (problems.length > 0) {
        return {
          status: 'ERROR',
          ...resource,
          message: `Security group ${groupLabel(group)} cannot be assessed: ${problems.join('; ')}.`,
          evidence: { ...base, unassessable: problems },
        };
      }
      return {
        status: 'PASS',
        ...resource,
        message: `Security group ${groupLabel(group)} admits 0.0.0.0/0 and ::/0 on no port outside the authorized public ports.`,
        evidence: { ...base, inboundRuleCount: group.IpPermissions?.length ?? 0 },
      };
    });
  },
} satisfies Check<'ec2.securityGroups' | 'ec2.prefixLists'>;
