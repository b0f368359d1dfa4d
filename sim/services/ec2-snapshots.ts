/**
 * Snapshots are the one EC2 resource another account can see: DescribeSnapshots without an
 * owner answers the caller's own snapshots plus every snapshot in the region that is public
 * or shared with the caller, as AWS does. That is why scanners must send `OwnerIds=self`.
 */
import { AwsError } from '../aws-error.js';
import type { EstateEc2 } from '../estate.js';
import { EC2_ITEM, type Ec2Handler } from '../protocols/ec2-query.js';
import type { FormInput } from '../protocols/form.js';
import type { HandlerContext } from '../service.js';
import { listToXml, textElement } from '../xml.js';
import { describe, notFound, regionEc2 } from './ec2-describe.js';
import { CREATE_VOLUME_PERMISSION, SNAPSHOT } from './ec2-xml.js';

type EstateSnapshot = EstateEc2['Snapshots'][number];

interface OwnedSnapshot {
  readonly ownerId: string;
  readonly snapshot: EstateSnapshot;
}

const snapshotNotFound = notFound('InvalidSnapshot.NotFound', 'snapshot');

export const describeSnapshots: Ec2Handler = (input, call) => {
  // Ids are checked against every snapshot in the region: one that exists but is not visible
  // to the caller is left out rather than refused, as AWS does.
  const everywhere = snapshotsInRegion(call);
  for (const id of input.list('SnapshotId')) {
    if (!everywhere.some(({ snapshot }) => snapshot.SnapshotId === id)) throw snapshotNotFound(id);
  }
  return describeVisible(input, call);
};

const describeVisible = describe<OwnedSnapshot>({
  items: (_ec2, input, call) => visibleSnapshots(input, call),
  ids: [],
  filters: {
    table: {
      'snapshot-id': 'snapshot.SnapshotId',
      'volume-id': 'snapshot.VolumeId',
      'owner-id': 'ownerId',
      status: 'snapshot.State',
      encrypted: 'snapshot.Encrypted',
    },
  },
  paging: { min: 5, max: 1000, unrequested: 'all' },
  render: (items) =>
    listToXml(
      'snapshotSet',
      items.map(({ snapshot }) => snapshot),
      SNAPSHOT,
      EC2_ITEM,
    ),
});

function visibleSnapshots(input: FormInput, call: HandlerContext): OwnedSnapshot[] {
  const caller = call.caller.accountId;
  const ids = input.list('SnapshotId');
  const owners = input.list('Owner').map((owner) => (owner === 'self' ? caller : owner));
  const restorableBy = input.list('RestorableBy');
  return snapshotsInRegion(call).filter(({ ownerId, snapshot }) => {
    const permissions = snapshot.CreateVolumePermissions ?? [];
    const isPublic = permissions.some((permission) => permission.Group === 'all');
    const sharedWith = (account: string) => permissions.some((permission) => permission.UserId === account);
    if (ownerId !== caller && !isPublic && !sharedWith(caller)) return false;
    if (ids.length > 0 && !ids.includes(snapshot.SnapshotId)) return false;
    if (owners.length > 0 && !owners.includes(ownerId)) return false;
    if (restorableBy.length > 0) {
      return restorableBy.some((who) => {
        if (who === 'all') return isPublic;
        if (who === 'self') return ownerId === caller || sharedWith(caller);
        return ownerId === caller && sharedWith(who);
      });
    }
    return true;
  });
}

/** Every account's snapshots in the call's region, the caller's first. */
function snapshotsInRegion(call: HandlerContext): OwnedSnapshot[] {
  const accounts = Object.entries(call.sim.estate.accounts).sort(([a], [b]) =>
    a === call.caller.accountId ? -1 : b === call.caller.accountId ? 1 : 0,
  );
  return accounts.flatMap(([ownerId, account]) =>
    (account.regions[call.region]?.ec2.Snapshots ?? []).map((snapshot) => ({ ownerId, snapshot })),
  );
}

export const describeSnapshotAttribute: Ec2Handler = (input, call) => {
  const attribute = input.string('Attribute');
  if (attribute !== 'createVolumePermission' && attribute !== 'productCodes') {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${attribute ?? ''}) for parameter attribute is invalid.`,
    );
  }
  const id = input.string('SnapshotId');
  if (id === undefined)
    throw new AwsError('MissingParameter', 'The request must contain the parameter snapshotId');
  const snapshot = regionEc2(call).Snapshots.find((candidate) => candidate.SnapshotId === id);
  if (snapshot === undefined) throw snapshotNotFound(id);
  const content =
    attribute === 'createVolumePermission'
      ? listToXml(
          'createVolumePermission',
          snapshot.CreateVolumePermissions ?? [],
          CREATE_VOLUME_PERMISSION,
          EC2_ITEM,
        )
      : listToXml('productCodes', [], {}, EC2_ITEM);
  return textElement('snapshotId', id) + content;
};
