/**
 * FSBP EC2.19: no inbound rule admits 0.0.0.0/0 or ::/0 on the "highest risk" ports (AWS-SEMANTICS
 * 2.3) other than the administration ports, which `ec2.sg.admin-ports-public` reports. TCP, UDP and
 * all-protocol rules count; port ranges count when they cover a port.
 */
import type { Check } from '../../core/types.js';
import { evaluateGroupsOnPorts } from '../lib/open-ports.js';
import { HIGH_RISK_PORTS, uniquePorts } from '../lib/ports.js';
import { prefixListIndex } from '../lib/security-group-rules.js';

export const sgHighRiskPortsPublic = {
  id: 'ec2.sg.high-risk-ports-public',
  title: 'Security groups do not admit the internet on high-risk ports',
  severity: 'high',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: ['ec2.securityGroups', 'ec2.prefixLists'],
  frameworks: {
    fsbp: ['EC2.19'],
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Remove the inbound rules that admit 0.0.0.0/0 or ::/0 on database, file-sharing, mail and other high-risk ports; admit only the source ranges or security groups that need them.',
    console:
      'EC2 console > Network & Security > Security Groups > select the group > Inbound rules > Edit inbound rules',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]',
  },
  evaluate(input, settings) {
    const admin = new Set(settings.network.adminPorts);
    const ports = uniquePorts(HIGH_RISK_PORTS.filter((port) => !admin.has(port)));
    return evaluateGroupsOnPorts(
      input.target,
      input.data['ec2.securityGroups'],
      prefixListIndex(input.data['ec2.prefixLists']),
      { ports, kind: 'high-risk' },
    );
  },
} satisfies Check<'ec2.securityGroups' | 'ec2.prefixLists'>;
