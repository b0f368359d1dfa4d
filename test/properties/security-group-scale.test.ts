/**
 * 100,000 security-group rules through every security-group check, within bounded memory.
 * What is measured is the growth of the process's peak resident set while the checks run, not
 * time: the bound is generous (several times the ~35 MiB a run takes) so that it fails on a
 * blow-up, such as evidence that copies the whole rule set per rule, and not on a machine's
 * noise. The timeout is only a guard for a slow machine.
 * The file holds this one test so that no other test's peak hides in the measurement.
 */
import { describe, expect, it } from 'vitest';
import { ec2Checks } from '../../checks/ec2/index.js';
import type { IpPermission, SecurityGroup } from '../../core/aws-shapes.js';
import type { CheckResult, CheckSettings } from '../../core/types.js';
import { permission, prefixList, SETTINGS, securityGroup, TARGET } from '../checks/ec2/fixtures.js';

const RULES = 100_000;
const GROUPS = 1_000;
const MiB = 1024 * 1024;
/** Peak growth allowed while the checks run over the 100,000 rules. */
const PEAK_GROWTH_BOUND = 256 * MiB;

const SG_CHECKS = ec2Checks.filter((check) =>
  check.needs.every((need: string) => need === 'ec2.securityGroups' || need === 'ec2.prefixLists'),
);
const WITH_ALLOWLIST: CheckSettings = {
  ...SETTINGS,
  network: { ...SETTINGS.network, allowlist: ['203.0.113.0/24', '198.51.100.0/24', 'pl-0a1b2c3d'] },
};

/** Rule `i`: a mix of what real groups hold, a tenth of it open to the internet. */
function rule(i: number): IpPermission {
  const port = (i * 7919) % 65_536;
  switch (i % 10) {
    case 0:
      return permission('tcp', 22, 22, ['0.0.0.0/0']);
    case 1:
      return permission('tcp', port, Math.min(port + 100, 65_535), [`10.${i % 256}.${(i >> 8) % 256}.0/24`]);
    case 2:
      return permission('udp', port, port, [`2001:db8:${(i % 65_536).toString(16)}::/48`]);
    case 3:
      return permission('-1', undefined, undefined, [`198.51.100.${i % 256}/32`]);
    case 4:
      return { ...permission('tcp', 443, 443, []), PrefixListIds: [{ PrefixListId: 'pl-0a1b2c3d' }] };
    case 5:
      return permission('icmp', 8, -1, ['0.0.0.0/0']);
    case 6:
      return permission('tcp', 0, 65_535, [`${(i % 223) + 1}.${i % 256}.0.0/16`]);
    case 7:
      return { ...permission('tcp', 3389, 3389, []), UserIdGroupPairs: [{ GroupId: `sg-${i}` }] };
    case 8:
      return permission('tcp', port, port, ['not-a-cidr']);
    default:
      return permission('tcp', 8080, 8080, ['::/0']);
  }
}

function estate(): SecurityGroup[] {
  const perGroup = RULES / GROUPS;
  return Array.from({ length: GROUPS }, (_, g) =>
    securityGroup(
      `sg-${g.toString(16).padStart(8, '0')}`,
      Array.from({ length: perGroup }, (_, r) => rule(g * perGroup + r)),
    ),
  );
}

describe(`security-group checks over ${RULES.toLocaleString('en')} rules`, () => {
  it(`evaluate every group with peak memory growing by less than ${PEAK_GROWTH_BOUND / MiB} MiB`, () => {
    // Prepare
    const groups = estate();
    expect(groups.reduce((n, g) => n + (g.IpPermissions?.length ?? 0), 0)).toBe(RULES);
    const data = {
      'ec2.securityGroups': groups,
      'ec2.prefixLists': [prefixList('pl-0a1b2c3d', '203.0.113.0/24', '0.0.0.0/0')],
    };
    // Warm up on one group, so that loading code is not counted.
    const warm = { ...data, 'ec2.securityGroups': groups.slice(0, 1) };
    for (const check of SG_CHECKS)
      check.evaluate({ target: TARGET, data: warm }, WITH_ALLOWLIST, '2025-06-01T00:00:00Z');
    // The resident set now; the peak below may include what building the groups left behind,
    // which can only make the growth look larger.
    const before = process.memoryUsage().rss;

    // Act
    const results = new Map<string, CheckResult[]>();
    for (const check of SG_CHECKS) {
      results.set(check.id, check.evaluate({ target: TARGET, data }, WITH_ALLOWLIST, '2025-06-01T00:00:00Z'));
    }
    const peak = process.resourceUsage().maxRSS * 1024;

    // Assess
    expect(peak - before).toBeLessThan(PEAK_GROWTH_BOUND);
    expect(SG_CHECKS.length).toBeGreaterThanOrEqual(5);
    for (const [id, verdicts] of results) {
      // The default-group check judges only groups named "default"; none is here.
      if (id === 'ec2.sg.default-restricts-all') continue;
      expect(verdicts, id).toHaveLength(GROUPS);
      // Every group holds an open SSH rule and an unparseable CIDR: none may PASS.
      expect(
        verdicts.filter((v) => v.status === 'PASS'),
        id,
      ).toEqual([]);
    }
  }, 180_000);
});
