/**
 * Inbound rules admit public sources only from `network.allowlist` (CIDRs and prefix-list ids),
 * except on `network.publicPorts`. A source fails when it holds public addresses outside the
 * union of the allowlist (IANA special-purpose ranges are not public; any public range counts,
 * not only 0.0.0.0/0); prefix lists are expanded; security-group references are not ranges.
 * All-protocol rules open every port; ICMP rules open no port and are not judged. Without an
 * allowlist the check does not run.
 */
import type { Check, CheckResult } from '../../core/types.js';
import { judgeSource, resolveAllowlist } from '../lib/allowlist.js';
import { groupLabel, securityGroupResource } from '../lib/open-ports.js';
import { uniquePorts } from '../lib/ports.js';
import {
  describePermission,
  describeSource,
  describeUnassessable,
  permissionSources,
  portsOpenedOutside,
  prefixListIndex,
} from '../lib/security-group-rules.js';

/** How many escaping ranges the evidence lists per source before it only counts them. */
const MAX_LISTED_RANGES = 8;

export const sgIngressOutsideAllowlist = {
  id: 'ec2.sg.ingress-outside-allowlist',
  title: 'Security groups admit public sources only from the approved IP allowlist',
  severity: 'high',
  resourceType: 'AwsEc2SecurityGroup',
  scope: 'regional',
  needs: ['ec2.securityGroups', 'ec2.prefixLists'],
  frameworks: {
    hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Narrow the rule to sources inside network.allowlist (or reference an allowlisted prefix list), or add the range to the allowlist if it is approved.',
    console:
      'EC2 console > Network & Security > Security Groups > select the group > Inbound rules > Edit inbound rules',
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=<protocol>,FromPort=<from>,ToPort=<to>,IpRanges=[{CidrIp=<source>}]',
  },
  notApplicable(settings) {
    return settings.network.allowlist === undefined
      ? 'network.allowlist is not configured, so there is no approved source list to compare rules against'
      : undefined;
  },
  evaluate(input, settings) {
    const entries = settings.network.allowlist;
    if (entries === undefined) return [];
    const publicPorts = uniquePorts(settings.network.publicPorts);
    const prefixLists = prefixListIndex(input.data['ec2.prefixLists']);
    const allowlist = resolveAllowlist(entries, prefixLists);
    return input.data['ec2.securityGroups'].map((group): CheckResult => {
      const outsideRules: Record<string, unknown>[] = [];
      const problems = new Set<string>();
      for (const permission of group.IpPermissions ?? []) {
        const ports = portsOpenedOutside(permission, publicPorts);
        if (ports.length === 0) continue;
        const read = permissionSources(permission, prefixLists);
        for (const problem of read.unassessable) {
          // A rule referencing an allowlisted list is approved by id, readable or not.
          if (problem.prefixListId !== undefined && allowlist.prefixListIds.has(problem.prefixListId))
            continue;
          problems.add(describeUnassessable(problem));
        }
        for (const source of read.sources) {
          const verdict = judgeSource(source, allowlist);
          if (verdict.inside) continue;
          outsideRules.push({
            ...describePermission(permission),
            portsOutsidePublicPorts: ports,
            ...describeSource(source),
            publicRangesOutsideAllowlist: verdict.outside.slice(0, MAX_LISTED_RANGES),
            publicRangesOutsideAllowlistCount: verdict.outside.length,
          });
        }
      }
      const resource = securityGroupResource(input.target, group);
      const base = { groupId: group.GroupId, vpcId: group.VpcId ?? null, allowlist: entries, publicPorts };
      const unassessable = [...problems];
      if (outsideRules.length > 0) {
        const sources = [
          ...new Set(outsideRules.map((rule) => String(rule.source ?? rule.prefixListId))),
        ].join(', ');
        return {
          status: 'FAIL',
          ...resource,
          message: `Security group ${groupLabel(group)} admits public sources outside the allowlist (${sources}) on ports outside the public ports.`,
          evidence: { ...base, outsideRules, ...(unassessable.length > 0 ? { unassessable } : {}) },
        };
      }
      if (unassessable.length > 0) {
        return {
          status: 'ERROR',
          ...resource,
          message: `Security group ${groupLabel(group)} cannot be assessed against the allowlist: ${unassessable.join('; ')}.`,
          evidence: { ...base, unassessable },
        };
      }
      return {
        status: 'PASS',
        ...resource,
        message: `Security group ${groupLabel(group)} admits public sources only from the allowlist, or only on public ports.`,
        evidence: { ...base, inboundRuleCount: group.IpPermissions?.length ?? 0 },
      };
    });
  },
} satisfies Check<'ec2.securityGroups' | 'ec2.prefixLists'>;
