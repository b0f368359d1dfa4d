/**
 * A network interface that the internet actually reaches on an administration or high-risk port
 * (AWS-SEMANTICS 2.7, 2.8; the reasoning is in checks/lib/reachability.ts): a public IPv4 or an
 * IPv6 address, an active `igw-` route for the source in the subnet's effective route table, a
 * network ACL whose first matching inbound entry allows it, a security group that admits it,
 * and no VPC Block Public Access blocking inbound traffic. TCP and UDP are both checked, on the
 * EC2.19 ports plus `network.adminPorts`. Any public source range counts as the internet.
 *
 * Scope: interfaces that are `in-use` or whose attachment is `attached` (an attachment without a
 * status, as hand-written estates have, counts as attached). Detached interfaces carry no traffic
 * and get no finding. When VPC BPA blocks ingress the interface passes, and the evidence keeps the
 * exposure that BPA holds back.
 */
import type { Check, CheckResult } from '../../core/types.js';
import { resolveAllowlist } from '../lib/allowlist.js';
import { ec2Arn, tagRecord } from '../lib/arn.js';
import { HIGH_RISK_PORTS, uniquePorts } from '../lib/ports.js';
import { type Exposure, isInterfaceInUse, ReachabilityAnalyzer } from '../lib/reachability.js';
import { prefixListIndex } from '../lib/security-group-rules.js';
import { vpcBlockPublicAccessFor } from '../lib/vpc-block-public-access.js';

function exposureSummary(exposures: readonly Exposure[]): string {
  const byProtocol = new Map<string, Set<number>>();
  for (const exposure of exposures) {
    const ports = byProtocol.get(exposure.protocol) ?? new Set<number>();
    for (const port of exposure.ports) ports.add(port);
    byProtocol.set(exposure.protocol, ports);
  }
  return [...byProtocol.entries()]
    .map(([protocol, ports]) => `${protocol.toUpperCase()} ${uniquePorts(ports).join(', ')}`)
    .join('; ');
}

export const eniInternetExposed = {
  id: 'ec2.eni.internet-exposed',
  title: 'Network interfaces are not reachable from the internet on administration or high-risk ports',
  severity: 'critical',
  resourceType: 'AwsEc2NetworkInterface',
  scope: 'regional',
  needs: [
    'ec2.networkInterfaces',
    'ec2.securityGroups',
    'ec2.networkAcls',
    'ec2.routeTables',
    'ec2.vpcBlockPublicAccess',
    'ec2.prefixLists',
  ],
  frameworks: {
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Close the path at any layer: remove the security-group rule that admits the internet on the port, deny the port in the subnet network ACL, move the interface to a private subnet or drop its public address, or turn on VPC Block Public Access (block-ingress).',
    console:
      'EC2 console > Network & Security > Network Interfaces > select the interface > Security groups / Details (subnet, public IP)',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=<source>}]',
  },
  evaluate(input, settings) {
    const ports = uniquePorts([...HIGH_RISK_PORTS, ...settings.network.adminPorts]);
    const prefixLists = prefixListIndex(input.data['ec2.prefixLists']);
    const approved = resolveAllowlist(settings.network.allowlist ?? [], prefixLists);
    const analyzer = new ReachabilityAnalyzer({
      securityGroups: input.data['ec2.securityGroups'],
      networkAcls: input.data['ec2.networkAcls'],
      routeTables: input.data['ec2.routeTables'],
      prefixLists,
      approvedSources: approved.cidrs,
      approvedPrefixLists: approved.prefixListIds,
    });
    const bpa = input.data['ec2.vpcBlockPublicAccess'];
    return input.data['ec2.networkInterfaces'].filter(isInterfaceInUse).map((eni): CheckResult => {
      const reach = analyzer.analyze(eni, ports);
      const blockPublicAccess = vpcBlockPublicAccessFor(bpa, {
        ...(eni.SubnetId ? { subnetId: eni.SubnetId } : {}),
        ...(eni.VpcId ? { vpcId: eni.VpcId } : {}),
      });
      const instanceId = eni.Attachment?.InstanceId ?? null;
      const name =
        instanceId === null ? eni.NetworkInterfaceId : `${eni.NetworkInterfaceId} (instance ${instanceId})`;
      const tags = tagRecord(eni.TagSet);
      const base = {
        resourceId: ec2Arn(input.target, 'network-interface', eni.NetworkInterfaceId),
        ...(tags ? { tags } : {}),
      };
      const evidence = {
        networkInterfaceId: eni.NetworkInterfaceId,
        instanceId,
        interfaceType: eni.InterfaceType ?? null,
        subnetId: eni.SubnetId ?? null,
        vpcId: eni.VpcId ?? null,
        routeTableId: reach.routeTableId ?? null,
        networkAclId: reach.networkAclId ?? null,
        families: reach.families,
        vpcBlockPublicAccess: {
          mode: blockPublicAccess.mode,
          ingressBlocked: blockPublicAccess.ingressBlocked,
          exclusion: blockPublicAccess.exclusion ?? null,
        },
      };
      if (blockPublicAccess.ingressBlocked) {
        const latent = reach.exposures.length > 0;
        return {
          status: 'PASS',
          ...base,
          message: latent
            ? `Network interface ${name} would be reachable from the internet on ${exposureSummary(reach.exposures)}, but VPC Block Public Access (${blockPublicAccess.mode}) blocks inbound internet traffic.`
            : `Network interface ${name} is not reachable from the internet: VPC Block Public Access (${blockPublicAccess.mode}) blocks inbound internet traffic.`,
          evidence: { ...evidence, ...(latent ? { latentExposures: reach.exposures } : {}) },
        };
      }
      if (reach.exposures.length > 0) {
        return {
          status: 'FAIL',
          ...base,
          message: `Network interface ${name} is reachable from the internet on ${exposureSummary(reach.exposures)}.`,
          evidence: {
            ...evidence,
            exposures: reach.exposures,
            ...(reach.unassessable.length > 0 ? { unassessable: reach.unassessable } : {}),
          },
        };
      }
      if (reach.unassessable.length > 0) {
        return {
          status: 'ERROR',
          ...base,
          message: `Network interface ${name} cannot be assessed: ${reach.unassessable.join('; ')}.`,
          evidence: { ...evidence, unassessable: reach.unassessable },
        };
      }
      return {
        status: 'PASS',
        ...base,
        message: `Network interface ${name} is not reachable from the internet on administration or high-risk ports.`,
        evidence: { ...evidence, checkedPorts: ports },
      };
    });
  },
} satisfies Check<
  | 'ec2.networkInterfaces'
  | 'ec2.securityGroups'
  | 'ec2.networkAcls'
  | 'ec2.routeTables'
  | 'ec2.vpcBlockPublicAccess'
  | 'ec2.prefixLists'
>;
