/**
 * AWS Foundational Security Best Practices: the Security Hub controls custos's checks map to,
 * with Security Hub's current titles.
 */
import type { Framework } from './types.js';

export const fsbp: Framework = {
  id: 'fsbp',
  name: 'AWS Foundational Security Best Practices',
  version: '1.0.0',
  controls: [
    { id: 'EC2.1', title: 'Amazon EBS snapshots should not be publicly restorable' },
    { id: 'EC2.2', title: 'VPC default security groups should not allow inbound or outbound traffic' },
    { id: 'EC2.3', title: 'Attached Amazon EBS volumes should be encrypted at-rest' },
    { id: 'EC2.7', title: 'EBS default encryption should be enabled' },
    { id: 'EC2.13', title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22' },
    { id: 'EC2.14', title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389' },
    {
      id: 'EC2.18',
      title: 'Security groups should only allow unrestricted incoming traffic for authorized ports',
    },
    { id: 'EC2.19', title: 'Security groups should not allow unrestricted access to ports with high risk' },
    { id: 'EC2.21', title: 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389' },
    {
      id: 'EC2.53',
      title:
        'EC2 security groups should not allow ingress from 0.0.0.0/0 to remote server administration ports',
    },
    {
      id: 'EC2.54',
      title: 'EC2 security groups should not allow ingress from ::/0 to remote server administration ports',
    },
    { id: 'IAM.3', title: "IAM users' access keys should be rotated every 90 days or less" },
    { id: 'IAM.4', title: 'IAM root user access key should not exist' },
    { id: 'IAM.5', title: 'MFA should be enabled for all IAM users that have a console password' },
    { id: 'IAM.6', title: 'Hardware MFA should be enabled for the root user' },
    { id: 'IAM.9', title: 'MFA should be enabled for the root user' },
    { id: 'IAM.22', title: 'IAM user credentials unused for 45 days should be removed' },
    { id: 'S3.1', title: 'S3 general purpose buckets should have block public access settings enabled' },
    { id: 'S3.2', title: 'S3 general purpose buckets should block public read access' },
    { id: 'S3.3', title: 'S3 general purpose buckets should block public write access' },
    { id: 'S3.5', title: 'S3 general purpose buckets should require requests to use SSL' },
    { id: 'S3.8', title: 'S3 general purpose buckets should block public access' },
  ],
};
