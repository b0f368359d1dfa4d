/** CIS 1.4 (v3.0.0) / 1.3 (v5.0.0), Security Hub IAM.4: the root user holds no access key. */
import type { Check } from '../../core/types.js';
import { rootArn } from '../lib/arn.js';
import { readBoolean, splitCredentialReport } from '../lib/credential-report.js';
import { rootAccessKeys } from '../lib/root-credentials.js';

export const rootAccessKeysCheck = {
  id: 'iam.root.access-keys',
  title: 'The root user has no active access keys',
  severity: 'critical',
  resourceType: 'AwsAccount',
  scope: 'global',
  needs: ['iam.credentialReport', 'iam.accountSummary'],
  frameworks: {
    'cis-aws-3.0': ['1.4'],
    'cis-aws-5.0': ['1.3'],
    fsbp: ['IAM.4'],
    hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'],
    gdpr: ['Art.32(1)(b)'],
    ferpa: ['99.31(a)(1)(ii)'],
  },
  remediation: {
    text: 'Delete the root user access keys; give programs an IAM role or IAM Identity Center access instead. In an organization with centralized root access, the management account can delete them without the root password.',
    console:
      'Sign in as the root user → account menu → Security credentials → Access keys → Actions → Delete',
    cli: 'aws iam delete-access-key --access-key-id <root-access-key-id>   # as the root user, or in a session from: aws sts assume-root --target-principal <account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials',
  },
  evaluate({ target, data }) {
    const report = splitCredentialReport(data['iam.credentialReport']);
    const keys = rootAccessKeys(report.root, data['iam.accountSummary']);
    const resourceId = rootArn(target.accountId);
    const evidence = { ...keys.evidence, credentialReportGeneratedTime: report.generatedTime };
    if (keys.state === 'yes') {
      const root = report.root;
      const active =
        root === undefined
          ? []
          : ([1, 2] as const).filter((n) => {
              const cell = readBoolean(root.row, `access_key_${n}_active`);
              return cell.kind === 'value' && cell.value;
            });
      const which =
        active.length > 0
          ? `access key ${active.join(' and ')} active in the credential report`
          : 'GetAccountSummary AccountAccessKeysPresent = 1';
      return [
        {
          status: 'FAIL',
          resourceId,
          message: `The root user has an access key (${which}): delete it.`,
          evidence,
        },
      ];
    }
    if (keys.state === 'no') {
      return [{ status: 'PASS', resourceId, message: 'The root user has no active access key.', evidence }];
    }
    return [
      {
        status: 'ERROR',
        resourceId,
        message: `Cannot tell whether the root user has an access key: ${keys.reason}.`,
        evidence,
      },
    ];
  },
} satisfies Check<'iam.credentialReport' | 'iam.accountSummary'>;
