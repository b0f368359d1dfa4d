/**
 * CIS 5.1 (v3.0) / 5.2 (v5.0), FSBP EC2.21: no network ACL lets TCP 22 or 3389 (and any other
 * `network.adminPorts`) in from anywhere. Inbound entries are read in RuleNumber order, IPv4 and
 * IPv6 separately; an `allow` entry for `0.0.0.0/0` or `::/0` fails the ACL when it is the first
 * match for at least part of the address space. A narrower deny before it (one blocked range)
 * leaves it failing, and the evidence lists that deny; a deny covering everything before it
 * passes. "Anywhere" is literal, as in the controls: an allow for `0.0.0.0/1` is not reported.
 */
import type { NetworkAclEntry } from '../../core/aws-shapes.js';
import type { Check, CheckResult } from '../../core/types.js';
import { ec2Arn, tagRecord } from '../lib/arn.js';
import { anywhere, type IpVersion, isAnywhere } from '../lib/cidr.js';
import { aclEntryCidr, describeAclEntry, evaluateAcl, PROTOCOL_TCP } from '../lib/network-acl.js';
import { CIS_ADMIN_PORTS, uniquePorts } from '../lib/ports.js';

interface OpenEntry {
  readonly ipVersion: IpVersion;
  readonly entry: NetworkAclEntry;
  readonly ports: number[];
  /** Lower-numbered denies that take part of the address space first (the allow still fails). */
  readonly precededBy: NetworkAclEntry[];
}

export const naclAdminPortsPublic = {
  id: 'ec2.nacl.admin-ports-public',
  title: 'Network ACLs do not admit the internet on remote administration ports',
  severity: 'medium',
  resourceType: 'AwsEc2NetworkAcl',
  scope: 'regional',
  needs: ['ec2.networkAcls'],
  frameworks: {
    'cis-aws-3.0': ['5.1'],
    'cis-aws-5.0': ['5.2'],
    fsbp: ['EC2.21'],
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Replace inbound entries that allow 0.0.0.0/0 or ::/0 on TCP 22 or 3389 with entries for known source ranges, or add a lower-numbered deny for those ports.',
    console: 'VPC console > Security > Network ACLs > select the ACL > Inbound rules > Edit inbound rules',
    cli: 'aws ec2 replace-network-acl-entry --network-acl-id <acl-id> --ingress --rule-number <n> --protocol 6 --port-range From=22,To=22 --cidr-block <approved-cidr> --rule-action allow',
  },
  evaluate(input, settings) {
    const ports = uniquePorts([...CIS_ADMIN_PORTS, ...settings.network.adminPorts]);
    return input.data['ec2.networkAcls'].map((acl): CheckResult => {
      const open = new Map<string, OpenEntry>();
      for (const version of [4, 6] as const) {
        for (const port of ports) {
          const decisions = evaluateAcl(acl, 'ingress', version, { protocol: PROTOCOL_TCP, port }, [
            anywhere(version),
          ]);
          decisions.forEach((decision, index) => {
            const entry = decision.entry;
            if (decision.action !== 'allow' || entry === undefined) return;
            const cidr = aclEntryCidr(entry);
            if (cidr === undefined || !isAnywhere(cidr.cidr)) return;
            const key = `${version}|${entry.RuleNumber}`;
            const found = open.get(key) ?? { ipVersion: version, entry, ports: [], precededBy: [] };
            found.ports.push(port);
            for (const earlier of decisions.slice(0, index)) {
              if (
                earlier.action === 'deny' &&
                earlier.entry !== undefined &&
                !found.precededBy.includes(earlier.entry)
              ) {
                found.precededBy.push(earlier.entry);
              }
            }
            open.set(key, found);
          });
        }
      }
      const tags = tagRecord(acl.Tags);
      const base = {
        resourceId: ec2Arn(input.target, 'network-acl', acl.NetworkAclId),
        ...(tags ? { tags } : {}),
      };
      const evidence = {
        networkAclId: acl.NetworkAclId,
        vpcId: acl.VpcId ?? null,
        isDefault: acl.IsDefault ?? false,
        subnetIds: (acl.Associations ?? []).flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
        checkedPorts: ports,
      };
      if (open.size === 0) {
        return {
          status: 'PASS',
          ...base,
          message: `Network ACL ${acl.NetworkAclId} does not admit 0.0.0.0/0 or ::/0 on TCP port(s) ${ports.join(', ')}.`,
          evidence,
        };
      }
      const openEntries = [...open.values()].map((found) => ({
        ipVersion: found.ipVersion,
        ports: found.ports,
        entry: describeAclEntry(found.entry),
        ...(found.precededBy.length > 0 ? { precededBy: found.precededBy.map(describeAclEntry) } : {}),
      }));
      const openPorts = uniquePorts(openEntries.flatMap((e) => e.ports)).join(', ');
      return {
        status: 'FAIL',
        ...base,
        message: `Network ACL ${acl.NetworkAclId} admits the internet (0.0.0.0/0 or ::/0) on TCP port(s) ${openPorts}.`,
        evidence: { ...evidence, openEntries },
      };
    });
  },
} satisfies Check<'ec2.networkAcls'>;
