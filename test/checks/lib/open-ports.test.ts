import { describe, expect, it } from 'vitest';
import { evaluateGroupsOnPorts, groupLabel, rulesOpenToAnywhere } from '../../../checks/lib/open-ports.js';
import { prefixListIndex } from '../../../checks/lib/security-group-rules.js';
import {
  allTraffic,
  fromPrefixList,
  prefixList,
  securityGroup,
  sgArn,
  TARGET,
  tcp,
} from '../ec2/fixtures.js';

const lists = prefixListIndex([prefixList('pl-00000000000000001', '0.0.0.0/0', '10.0.0.0/8')]);

describe('rulesOpenToAnywhere', () => {
  it('lists one entry per anywhere source with the watched ports it admits', () => {
    // Prepare
    const group = securityGroup('sg-1', [
      tcp(20, 25, '0.0.0.0/0', '::/0', '10.0.0.0/8'),
      fromPrefixList('tcp', 3389, 3389, 'pl-00000000000000001'),
      allTraffic('0.0.0.0/1'),
    ]);

    // Act
    const scan = rulesOpenToAnywhere(group, lists, [22, 3389]);

    // Assess
    expect(scan.rules).toEqual([
      { protocol: 'tcp', fromPort: 20, toPort: 25, portRange: '20-25', ports: [22], source: '0.0.0.0/0' },
      { protocol: 'tcp', fromPort: 20, toPort: 25, portRange: '20-25', ports: [22], source: '::/0' },
      {
        protocol: 'tcp',
        fromPort: 3389,
        toPort: 3389,
        portRange: '3389',
        ports: [3389],
        prefixListId: 'pl-00000000000000001',
        prefixListEntry: '0.0.0.0/0',
      },
    ]);
    expect(scan.unassessable).toEqual([]);
  });

  it('reports an unreadable list only when its rule admits a watched port', () => {
    // Prepare
    const group = securityGroup('sg-1', [
      fromPrefixList('tcp', 22, 22, 'pl-0000000000000000e'),
      fromPrefixList('tcp', 443, 443, 'pl-0000000000000000f'),
    ]);

    // Act
    const scan = rulesOpenToAnywhere(group, lists, [22]);

    // Assess
    expect(scan.unassessable).toEqual(['prefix list pl-0000000000000000e could not be read']);
  });
});

describe('evaluateGroupsOnPorts', () => {
  it('emits one finding per group, with no ports configured as a PASS', () => {
    // Act
    const results = evaluateGroupsOnPorts(TARGET, [securityGroup('sg-1', [allTraffic('0.0.0.0/0')])], lists, {
      ports: [],
      kind: 'administration',
    });

    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('PASS');
    expect(results[0]?.resourceId).toBe(sgArn('sg-1'));
  });

  it.each([
    { group: securityGroup('sg-1'), label: 'sg-1 (group-sg-1)' },
    { group: securityGroup('sg-1', [], { GroupName: undefined }), label: 'sg-1' },
  ])('labels $label', ({ group, label }) => {
    expect(groupLabel(group)).toBe(label);
  });
});
