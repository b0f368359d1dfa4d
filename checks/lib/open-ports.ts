/**
 * Security-group rules open to anywhere (literally `0.0.0.0/0` or `::/0`, written in the rule or
 * reached through a prefix list), as the CIS 5.x and FSBP EC2.13/14/18/19/53/54 controls read
 * them. Shared by the port checks so each states only which ports it watches.
 */
import type { SecurityGroup } from '../../core/aws-shapes.js';
import type { CheckResult, Target } from '../../core/types.js';
import { ec2Arn, tagRecord } from './arn.js';
import { isAnywhere } from './cidr.js';
import {
  describePermission,
  describeSource,
  describeUnassessable,
  inboundSources,
  type PermissionSummary,
  type PrefixListIndex,
  portsAdmitted,
} from './security-group-rules.js';

/** One inbound rule source open to anywhere on watched ports, for evidence. */
export type AnywhereRule = PermissionSummary & {
  /** The watched ports the rule admits over TCP or UDP. */
  readonly ports: readonly number[];
} & ({ readonly source: string } | { readonly prefixListId: string; readonly prefixListEntry: string });

export interface AnywhereRuleScan {
  readonly rules: readonly AnywhereRule[];
  /** What could not be read in rules that admit a watched port: `prefix list pl-1 could not be read`. */
  readonly unassessable: readonly string[];
}

/** The inbound rules of a group that admit anywhere on any of `ports`, one entry per source. */
export function rulesOpenToAnywhere(
  group: SecurityGroup,
  prefixLists: PrefixListIndex,
  ports: readonly number[],
): AnywhereRuleScan {
  const { sources, unassessable } = inboundSources(group, prefixLists);
  const rules: AnywhereRule[] = [];
  for (const { permission, source } of sources) {
    if (!isAnywhere(source.cidr)) continue;
    const admitted = portsAdmitted(permission, ports);
    if (admitted.length === 0) continue;
    rules.push({ ...describePermission(permission), ports: admitted, ...describeSource(source) });
  }
  const problems = unassessable
    .filter(({ permission }) => portsAdmitted(permission, ports).length > 0)
    .map(({ problem }) => describeUnassessable(problem));
  return { rules, unassessable: [...new Set(problems)] };
}

/** The resource id and tags every security-group finding carries. */
export function securityGroupResource(
  target: Target,
  group: SecurityGroup,
): { readonly resourceId: string; readonly tags?: Record<string, string> } {
  const tags = tagRecord(group.Tags);
  return { resourceId: ec2Arn(target, 'security-group', group.GroupId), ...(tags ? { tags } : {}) };
}

/** `sg-1 (web)` */
export function groupLabel(group: SecurityGroup): string {
  return group.GroupName === undefined ? group.GroupId : `${group.GroupId} (${group.GroupName})`;
}

/**
 * One finding per group for "no rule admits anywhere on these ports": FAIL listing each offending
 * rule; else ERROR when a rule that admits a watched port could not be read; else PASS.
 * A definite failure wins over an unreadable rule: the group fails either way.
 */
export function evaluateGroupsOnPorts(
  target: Target,
  groups: readonly SecurityGroup[],
  prefixLists: PrefixListIndex,
  watched: { readonly ports: readonly number[]; readonly kind: string },
): CheckResult[] {
  return groups.map((group): CheckResult => {
    const { rules, unassessable } = rulesOpenToAnywhere(group, prefixLists, watched.ports);
    const resource = securityGroupResource(target, group);
    const portList = watched.ports.join(', ');
    if (rules.length > 0) {
      const open = [...new Set(rules.flatMap((rule) => rule.ports))].sort((a, b) => a - b).join(', ');
      return {
        status: 'FAIL',
        ...resource,
        message: `Security group ${groupLabel(group)} admits the internet (0.0.0.0/0 or ::/0) on ${watched.kind} port(s) ${open}.`,
        evidence: {
          groupId: group.GroupId,
          vpcId: group.VpcId ?? null,
          watchedPorts: watched.ports,
          openRules: rules,
          ...(unassessable.length > 0 ? { unassessable } : {}),
        },
      };
    }
    if (unassessable.length > 0) {
      return {
        status: 'ERROR',
        ...resource,
        message: `Security group ${groupLabel(group)} cannot be assessed on ${watched.kind} ports: ${unassessable.join('; ')}.`,
        evidence: {
          groupId: group.GroupId,
          vpcId: group.VpcId ?? null,
          watchedPorts: watched.ports,
          unassessable,
        },
      };
    }
    return {
      status: 'PASS',
      ...resource,
      message: `Security group ${groupLabel(group)} admits no traffic from 0.0.0.0/0 or ::/0 on ${watched.kind} ports ${portList === '' ? '(none configured)' : portList}.`,
      evidence: {
        groupId: group.GroupId,
        vpcId: group.VpcId ?? null,
        watchedPorts: watched.ports,
        inboundRuleCount: group.IpPermissions?.length ?? 0,
      },
    };
  });
}
