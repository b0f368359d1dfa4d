/**
 * CIS 1.6 (v3.0.0) / 1.5 (v5.0.0), Security Hub IAM.6: a root user with credentials uses
 * hardware MFA (a FIDO security key or hardware TOTP token) and has no virtual MFA device.
 * A virtual device is root's when its `User.Arn` ends in `:root`, whatever its serial is named
 * [AWS-SEMANTICS 4.4].
 */
import type { Check } from '../../core/types.js';
import { rootArn } from '../lib/arn.js';
import {
  centralizedRootEvidence,
  centralizedRootNote,
  noRootCredentialsMessage,
  rootMfaPosture,
} from '../lib/root-credentials.js';

export const rootHardwareMfaCheck = {
  id: 'iam.root.hardware-mfa',
  title: 'The root user uses hardware MFA, not a virtual MFA device',
  severity: 'high',
  resourceType: 'AwsAccount',
  scope: 'global',
  needs: ['iam.credentialReport', 'iam.accountSummary', 'iam.virtualMfaDevices', 'iam.organizationsFeatures'],
  frameworks: {
    'cis-aws-3.0': ['1.6'],
    'cis-aws-5.0': ['1.5'],
    fsbp: ['IAM.6'],
    hipaa: ['164.312(d)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Sign in as the root user, register a FIDO security key or hardware TOTP token, then remove every virtual MFA device assigned to root.',
    console:
      'Sign in as the root user → account menu → Security credentials → Multi-factor authentication (MFA) → Assign MFA device; then Remove the virtual device',
    cli: 'aws iam list-virtual-mfa-devices --assignment-status Assigned --query "VirtualMFADevices[?ends_with(User.Arn, \':root\')].SerialNumber"',
  },
  evaluate({ target, data }) {
    const { report, features, centralized, credentials, mfa } = rootMfaPosture(target.accountId, data);
    const rootVirtualDevices = data['iam.virtualMfaDevices']
      .filter((device) => device.User?.Arn?.endsWith(':root') === true)
      .map((device) => device.SerialNumber);
    const resourceId = rootArn(target.accountId);
    const evidence = {
      ...credentials.evidence,
      ...mfa.evidence,
      rootVirtualMfaDevices: rootVirtualDevices,
      ...centralizedRootEvidence(features, target.accountId),
      credentialReportGeneratedTime: report.generatedTime,
    };
    if (credentials.state === 'no') {
      return [{ status: 'PASS', resourceId, message: noRootCredentialsMessage(centralized), evidence }];
    }
    if (credentials.state === 'yes' && rootVirtualDevices.length > 0) {
      return [
        {
          status: 'FAIL',
          resourceId,
          message: `The root user has a virtual MFA device (${rootVirtualDevices.join(', ')}): replace it with a hardware device.${centralizedRootNote(features, target.accountId)}`,
          evidence,
        },
      ];
    }
    if (credentials.state === 'yes' && mfa.state === 'no') {
      return [
        {
          status: 'FAIL',
          resourceId,
          message: 'The root user has a password or access key and no MFA.',
          evidence,
        },
      ];
    }
    if (mfa.state === 'yes' && rootVirtualDevices.length === 0) {
      return [
        {
          status: 'PASS',
          resourceId,
          message:
            'The root user has MFA and no virtual MFA device, so its MFA is a hardware or FIDO device.',
          evidence,
        },
      ];
    }
    const reason = credentials.state === 'unknown' ? credentials.reason : mfa.reason;
    return [
      {
        status: 'ERROR',
        resourceId,
        message: `Cannot tell whether the root user needs and has hardware MFA: ${reason}.`,
        evidence,
      },
    ];
  },
} satisfies Check<
  'iam.credentialReport' | 'iam.accountSummary' | 'iam.virtualMfaDevices' | 'iam.organizationsFeatures'
>;
