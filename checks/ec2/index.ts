/** The ec2 checks: one line per check file in this folder. */
import type { AnyCheck } from '../../core/types.js';
import { ebsDefaultEncryption } from './ebs-default-encryption.js';
import { ebsSnapshotPublic } from './ebs-snapshot-public.js';
import { ebsSnapshotUnencrypted } from './ebs-snapshot-unencrypted.js';
import { ebsVolumeUnencrypted } from './ebs-volume-unencrypted.js';
import { eniInternetExposed } from './eni-internet-exposed.js';
import { naclAdminPortsPublic } from './nacl-admin-ports-public.js';
import { sgAdminPortsPublic } from './sg-admin-ports-public.js';
import { sgDefaultRestrictsAll } from './sg-default-restricts-all.js';
import { sgHighRiskPortsPublic } from './sg-high-risk-ports-public.js';
import { sgIngressOutsideAllowlist } from './sg-ingress-outside-allowlist.js';
import { sgUnauthorizedPortPublic } from './sg-unauthorized-port-public.js';

export const ec2Checks: readonly AnyCheck[] = [
  sgAdminPortsPublic,
  sgHighRiskPortsPublic,
  sgUnauthorizedPortPublic,
  sgDefaultRestrictsAll,
  naclAdminPortsPublic,
  eniInternetExposed,
  sgIngressOutsideAllowlist,
  ebsVolumeUnencrypted,
  ebsDefaultEncryption,
  ebsSnapshotPublic,
  ebsSnapshotUnencrypted,
];
