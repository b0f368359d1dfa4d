/**
 * A small organization for engine integration tests, served by the simulator: a management
 * account, a production account with a denied collector in one region, an account whose audit
 * role cannot be assumed, and a suspended account.
 */
import { ALL_CHECKS } from '../../checks/registry.js';
import { resolveConfig } from '../../core/config/load.js';
import type { EngineContext } from '../../core/engine/context.js';
import { AwsClients } from '../../inventory/clients.js';
import { AccountSessions } from '../../inventory/sessions.js';
import { type Estate, parseEstate } from '../../sim/estate.js';
import type { Simulator } from '../../sim/server.js';

export const MANAGEMENT = '111111111111';
export const PROD = '222222222222';
export const LOCKED = '333333333333';
export const SUSPENDED = '444444444444';

export const FIXED_NOW = new Date('2026-11-25T12:00:00Z');

function openSsh(id: string, vpc: string) {
  return {
    GroupId: id,
    GroupName: `ssh-${id}`,
    VpcId: vpc,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    IpPermissionsEgress: [],
  };
}

function closed(id: string, vpc: string) {
  return {
    GroupId: id,
    GroupName: `web-${id}`,
    VpcId: vpc,
    IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    IpPermissionsEgress: [],
  };
}

function volume(id: string, encrypted: boolean) {
  return { VolumeId: id, Encrypted: encrypted, State: 'available', Size: 8, Attachments: [] };
}

export function organizationEstate(): Estate {
  return parseEstate(
    {
      organization: {
        managementAccountId: MANAGEMENT,
        accounts: [
          { Id: MANAGEMENT, Name: 'management', Email: 'm@example.com', State: 'ACTIVE' },
          { Id: PROD, Name: 'prod', Email: 'p@example.com', State: 'ACTIVE' },
          { Id: LOCKED, Name: 'locked', Email: 'l@example.com', State: 'ACTIVE' },
          { Id: SUSPENDED, Name: 'old', Email: 'o@example.com', State: 'SUSPENDED' },
        ],
      },
      accounts: {
        [MANAGEMENT]: {
          regions: {
            'eu-west-1': {
              ec2: {
                SecurityGroups: [
                  openSsh('sg-00000001', 'vpc-00000001'),
                  closed('sg-00000002', 'vpc-00000001'),
                ],
                Volumes: [volume('vol-00000001', true)],
                EbsEncryptionByDefault: true,
              },
            },
          },
          disabledRegions: ['ap-east-1'],
        },
        [PROD]: {
          assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
          regions: {
            'eu-west-1': {
              ec2: {
                SecurityGroups: [
                  openSsh('sg-00000011', 'vpc-00000011'),
                  closed('sg-00000012', 'vpc-00000011'),
                  closed('sg-00000013', 'vpc-00000011'),
                  openSsh('sg-00000014', 'vpc-00000011'),
                  closed('sg-00000015', 'vpc-00000011'),
                ],
                Volumes: [
                  volume('vol-00000011', false),
                  volume('vol-00000012', true),
                  volume('vol-00000013', true),
                  volume('vol-00000014', false),
                  volume('vol-00000015', true),
                ],
                EbsEncryptionByDefault: false,
              },
            },
            'us-east-1': {
              ec2: {
                SecurityGroups: [closed('sg-00000021', 'vpc-00000021')],
                Volumes: [volume('vol-00000021', false)],
                EbsEncryptionByDefault: true,
              },
            },
          },
          faults: [
            {
              service: 'ec2',
              region: 'us-east-1',
              operation: 'DescribeVolumes',
              error: 'UnauthorizedOperation',
            },
          ],
        },
        [LOCKED]: {
          assumeRole: { roleName: 'SomeoneElsesRole' },
          regions: { 'eu-west-1': { ec2: { SecurityGroups: [openSsh('sg-00000031', 'vpc-00000031')] } } },
        },
      },
    },
    'organization estate',
  );
}

export const EC2_CHECKS = [
  'ec2.sg.admin-ports-public',
  'ec2.ebs.volume-unencrypted',
  'ec2.ebs.default-encryption',
];

/** An engine context against a running simulator, scanning the whole organization. */
export function engineContext(sim: Simulator, config: Record<string, unknown> = {}): EngineContext {
  const resolved = resolveConfig(
    {
      accounts: { source: 'organizations' },
      assumeRole: { roleName: 'CustosAudit', externalId: 'x-123' },
      checks: { include: EC2_CHECKS },
      ...config,
    },
    'test config',
  );
  const caller = new AwsClients({
    credentials: sim.credentials,
    endpoint: sim.endpoint,
    homeRegion: 'us-east-1',
    maxAttempts: 2,
  });
  return {
    config: resolved,
    registry: ALL_CHECKS,
    sessions: new AccountSessions(caller, resolved.assumeRole, 'run-1'),
    homeRegion: 'us-east-1',
    toolVersion: '0.0.0-test',
    now: () => FIXED_NOW,
  };
}
