/**
 * CIS 1.5 (v3.0.0) / 1.4 (v5.0.0), Security Hub IAM.9: a root user that can sign in or call AWS
 * has MFA. A root user without password and keys (for example deleted under centralized root
 * access) passes [AWS-SEMANTICS 4.4, 4.6].
 */
import type { Check } from '../../core/types.js';
import { rootArn } from '../lib/arn.js';
import {
  centralizedRootEvidence,
  centralizedRootNote,
  noRootCredentialsMessage,
  rootMfaPosture,
} from '../lib/root-credentials.js';

export const rootMfaCheck = {
  id: 'iam.root.mfa',
  title: 'The root user has MFA enabled',
  severity: 'critical',
  resourceType: 'AwsAccount',
  scope: 'global',
  needs: ['iam.credentialReport', 'iam.accountSummary', 'iam.organizationsFeatures'],
  frameworks: {
    'cis-aws-3.0': ['1.5'],
    'cis-aws-5.0': ['1.4'],
    fsbp: ['IAM.9'],
    hipaa: ['164.312(d)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Sign in as the root user and assign an MFA device, preferably a FIDO security key or hardware TOTP token (root MFA cannot be set up through the API). In an organization member account, deleting the root credentials under centralized root access also resolves this.',
    console:
      'Sign in as the root user → account menu → Security credentials → Multi-factor authentication (MFA) → Assign MFA device',
    cli: 'aws sts assume-root --target-principal <member-account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials   # then delete the root login profile and access keys in that session',
  },
  evaluate({ target, data }) {
    const { report, features, centralized, credentials, mfa } = rootMfaPosture(target.accountId, data);
    const resourceId = rootArn(target.accountId);
    const evidence = {
      ...credentials.evidence,
      ...mfa.evidence,
      ...centralizedRootEvidence(features, target.accountId),
      credentialReportGeneratedTime: report.generatedTime,
    };
    if (credentials.state === 'no') {
      return [{ status: 'PASS', resourceId, message: noRootCredentialsMessage(centralized), evidence }];
    }
    if (mfa.state === 'yes') {
      return [{ status: 'PASS', resourceId, message: 'The root user has MFA enabled.', evidence }];
    }
    if (mfa.state === 'no' && credentials.state === 'yes') {
      return [
        {
          status: 'FAIL',
          resourceId,
          message: `The root user has a password or access key and no MFA.${centralizedRootNote(features, target.accountId)}`,
          evidence,
        },
      ];
    }
    const reason = mfa.state === 'unknown' ? mfa.reason : credentials.reason;
    return [
      {
        status: 'ERROR',
        resourceId,
        message: `Cannot tell whether the root user needs and has MFA: ${reason}.`,
        evidence,
      },
    ];
  },
} satisfies Check<'iam.credentialReport' | 'iam.accountSummary' | 'iam.organizationsFeatures'>;
