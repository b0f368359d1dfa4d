import { describe, expect, it } from 'vitest';
import { naclAdminPortsPublic } from '../../../checks/ec2/nacl-admin-ports-public.js';
import type { NetworkAcl, NetworkAclEntry } from '../../../core/aws-shapes.js';
import type { CheckSettings } from '../../../core/types.js';
import {
  ACCOUNT_ID,
  AS_OF,
  aclIn,
  aclOut,
  asCheck,
  defaultAcl,
  networkAcl,
  REGION,
  SETTINGS,
  settingsWith,
  TARGET,
} from './fixtures.js';

const ACL_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:network-acl/acl-1`;
const SSH = { From: 22, To: 22 };
const RDP = { From: 3389, To: 3389 };

function evaluate(acls: NetworkAcl[], settings: CheckSettings = SETTINGS) {
  return asCheck(naclAdminPortsPublic).evaluate(
    { target: TARGET, data: { 'ec2.networkAcls': acls } },
    settings,
    AS_OF,
  );
}

function one(entries: NetworkAclEntry[], settings?: CheckSettings) {
  const [result] = evaluate([networkAcl('acl-1', entries)], settings);
  return result;
}

/** `ipv<version>:<ports>@<rule>` for each open entry. */
function open(entries: NetworkAclEntry[], settings?: CheckSettings): string[] {
  const found = (one(entries, settings)?.evidence.openEntries ?? []) as Array<{
    ipVersion: number;
    ports: number[];
    entry: { ruleNumber: number };
  }>;
  return found.map((e) => `ipv${e.ipVersion}:${e.ports.join(',')}@${e.entry.ruleNumber}`);
}

describe('ec2.nacl.admin-ports-public', () => {
  it.each([
    { name: 'only the catch-all denies', entries: [], status: 'PASS', open: [] },
    {
      name: 'allow all traffic from 0.0.0.0/0',
      entries: [aclIn(100, 'allow', '0.0.0.0/0')],
      status: 'FAIL',
      open: ['ipv4:22,3389@100'],
    },
    {
      name: 'allow TCP 22 from 0.0.0.0/0',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '6', SSH)],
      status: 'FAIL',
      open: ['ipv4:22@100'],
    },
    {
      name: 'allow TCP 3389 from ::/0',
      entries: [aclIn(100, 'allow', '::/0', '6', RDP)],
      status: 'FAIL',
      open: ['ipv6:3389@100'],
    },
    {
      name: 'allow a TCP range covering both',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 0, To: 4000 })],
      status: 'FAIL',
      open: ['ipv4:22,3389@100'],
    },
    {
      name: 'deny 22 and 3389 before allowing everything',
      entries: [
        aclIn(90, 'deny', '0.0.0.0/0', '6', SSH),
        aclIn(91, 'deny', '0.0.0.0/0', '6', RDP),
        aclIn(100, 'allow', '0.0.0.0/0'),
      ],
      status: 'PASS',
      open: [],
    },
    {
      name: 'a deny for everything before the allow',
      entries: [aclIn(50, 'deny', '0.0.0.0/0'), aclIn(100, 'allow', '0.0.0.0/0', '6', SSH)],
      status: 'PASS',
      open: [],
    },
    {
      name: 'the allow comes first, the deny after',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '6', SSH), aclIn(200, 'deny', '0.0.0.0/0', '6', SSH)],
      status: 'FAIL',
      open: ['ipv4:22@100'],
    },
    {
      name: 'IPv4 denied, IPv6 allowed: families are separate',
      entries: [aclIn(100, 'deny', '0.0.0.0/0'), aclIn(101, 'allow', '::/0', '6', SSH)],
      status: 'FAIL',
      open: ['ipv6:22@101'],
    },
    {
      name: 'allow from a private range only',
      entries: [aclIn(100, 'allow', '10.0.0.0/8', '6', SSH)],
      status: 'PASS',
      open: [],
    },
    {
      name: 'allow from 0.0.0.0/1 (not literally anywhere)',
      entries: [aclIn(100, 'allow', '0.0.0.0/1', '6', SSH)],
      status: 'PASS',
      open: [],
    },
    {
      name: 'allow UDP 22 (the control is TCP)',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '17', SSH)],
      status: 'PASS',
      open: [],
    },
    {
      name: 'allow ephemeral TCP 32768-65535',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 32768, To: 65535 })],
      status: 'PASS',
      open: [],
    },
    {
      name: 'allow TCP 1024-65535 (covers 3389)',
      entries: [aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 1024, To: 65535 })],
      status: 'FAIL',
      open: ['ipv4:3389@100'],
    },
    {
      name: 'allow everything outbound only',
      entries: [aclOut(100, 'allow', '0.0.0.0/0')],
      status: 'PASS',
      open: [],
    },
  ])('$name → $status', ({ entries, status, open: expected }) => {
    expect(one(entries)?.status).toBe(status);
    expect(open(entries)).toEqual(expected);
  });

  it('keeps failing on a broad allow behind a narrower deny, and names the deny', () => {
    // Act
    const result = one([
      aclIn(100, 'deny', '198.51.100.0/24', '6', SSH),
      aclIn(200, 'allow', '0.0.0.0/0', '6', SSH),
    ]);

    // Assess
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence.openEntries).toEqual([
      {
        ipVersion: 4,
        ports: [22],
        entry: { ruleNumber: 200, action: 'allow', protocol: '6', cidr: '0.0.0.0/0', portRange: '22-22' },
        precededBy: [
          { ruleNumber: 100, action: 'deny', protocol: '6', cidr: '198.51.100.0/24', portRange: '22-22' },
        ],
      },
    ]);
  });

  it('names only earlier denies, not earlier allows, as preceding the open entry', () => {
    // Act
    const result = one([
      aclIn(100, 'allow', '0.0.0.0/1', '6', SSH),
      aclIn(200, 'allow', '0.0.0.0/0', '6', SSH),
    ]);

    // Assess
    expect(result?.evidence.openEntries).toEqual([
      {
        ipVersion: 4,
        ports: [22],
        entry: { ruleNumber: 200, action: 'allow', protocol: '6', cidr: '0.0.0.0/0', portRange: '22-22' },
      },
    ]);
  });

  it("fails AWS's default ACL in both families, with its subnets in the evidence", () => {
    // Act
    const [result] = evaluate([defaultAcl('acl-1', ['subnet-a', 'subnet-b'])]);

    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      resourceId: ACL_ARN,
      message: 'Network ACL acl-1 admits the internet (0.0.0.0/0 or ::/0) on TCP port(s) 22, 3389.',
      evidence: { isDefault: true, subnetIds: ['subnet-a', 'subnet-b'], checkedPorts: [22, 3389] },
    });
    expect(open([aclIn(100, 'allow', '0.0.0.0/0'), aclIn(101, 'allow', '::/0')])).toEqual([
      'ipv4:22,3389@100',
      'ipv6:22,3389@101',
    ]);
  });

  it('checks 22 and 3389 plus any configured administration port', () => {
    // Prepare
    const settings = settingsWith({ adminPorts: [2222] });

    // Act / Assess
    expect(open([aclIn(100, 'allow', '0.0.0.0/0', '6', { From: 2222, To: 2222 })], settings)).toEqual([
      'ipv4:2222@100',
    ]);
    expect(open([aclIn(100, 'allow', '0.0.0.0/0', '6', SSH)], settings)).toEqual(['ipv4:22@100']);
  });

  it('emits one finding per ACL with its tags', () => {
    // Prepare
    const acls = [
      networkAcl('acl-1', [], { Tags: [{ Key: 'env', Value: 'prod' }] }),
      networkAcl('acl-2', []),
    ];

    // Act
    const results = evaluate(acls);

    // Assess
    expect(results.map((r) => [r.status, r.tags])).toEqual([
      ['PASS', { env: 'prod' }],
      ['PASS', undefined],
    ]);
    expect(results[0]?.message).toBe(
      'Network ACL acl-1 does not admit 0.0.0.0/0 or ::/0 on TCP port(s) 22, 3389.',
    );
  });
});
