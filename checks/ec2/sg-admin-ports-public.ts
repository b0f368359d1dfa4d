/**
 * CIS 5.2/5.3 (v3.0) and 5.3/5.4 (v5.0), FSBP EC2.53/54/13/14: no inbound rule admits 0.0.0.0/0 or
 * ::/0 on a remote administration port (`network.adminPorts`, default 22 and 3389) over TCP, UDP,
 * or an all-protocol rule. "Anywhere" is literal, as in the controls; prefix lists are expanded.
 */
import type { Check } from '../../core/types.js';
import { evaluateGroupsOnPorts } from '../lib/open-ports.js';
import { uniquePorts } from '../lib/ports.js';
import { prefixListIndex } from '../lib/security-group-rules.js';

export const sgAdminPortsPublic = {
  id: 'ec2.sg.admin-ports-public',
  title: 'Security groups do not admit the internet on remote administration ports',
  severity: 'high',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: ['ec2.securityGroups', 'ec2.prefixLists'],
  frameworks: {
    'cis-aws-3.0': ['5.2', '5.3'],
    'cis-aws-5.0': ['5.3', '5.4'],
    fsbp: ['EC2.53', 'EC2.54', 'EC2.13', 'EC2.14'],
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Remove the inbound rules that admit 0.0.0.0/0 or ::/0 on administration ports; reach instances through Systems Manager Session Manager, a bastion or a VPN, or admit only known source ranges.',
    console:
      'EC2 console > Network & Security > Security Groups > select the group > Inbound rules > Edit inbound rules',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]',
  },
  evaluate(input, settings) {
    const ports = uniquePorts(settings.network.adminPorts);
    return evaluateGroupsOnPorts(
      input.target,
      input.data['ec2.securityGroups'],
      prefixListIndex(input.data['ec2.prefixLists']),
      { ports, kind: 'administration' },
    );
  },
} satisfies Check<'ec2.securityGroups' | 'ec2.prefixLists'>;
