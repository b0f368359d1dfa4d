import {
  BatchImportFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAsffFindings } from '../../reports/formats/asff.js';
import { importToSecurityHub } from '../../reports/securityhub-sink.js';
import { ACCOUNT, errorFinding, makeReport, manyFindings } from './formats/fixture.js';

const OPTIONS = { region: 'eu-west-1', accountId: ACCOUNT } as const;
const securityHub = mockClient(SecurityHubClient);

function asff(count: number) {
  return toAsffFindings(makeReport(manyFindings(count)), OPTIONS);
}

describe('importToSecurityHub', () => {
  let client: SecurityHubClient;

  beforeEach(() => {
    securityHub.reset();
    client = new SecurityHubClient({ region: 'eu-west-1' });
  });

  afterEach(() => {
    client.destroy();
  });

  it('sends 250 findings as three requests of 100, 100 and 50, in order', async () => {
    // Prepare
    const findings = asff(250);
    securityHub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({
      FailedCount: 0,
      SuccessCount: input.Findings.length,
      FailedFindings: [],
    }));

    // Act
    const result = await importToSecurityHub(client, findings);

    // Assess
    const calls = securityHub.commandCalls(BatchImportFindingsCommand);
    expect(calls.map((call) => call.args[0].input.Findings?.length)).toEqual([100, 100, 50]);
    expect(calls.flatMap((call) => call.args[0].input.Findings ?? [])).toEqual(findings);
    expect(result).toEqual({ sent: 250, imported: 250, failed: [] });
  });

  it('reports the findings Security Hub refuses and counts the rest as imported', async () => {
    // Prepare
    const findings = asff(250);
    const refused = [findings[120]!, findings[150]!];
    securityHub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100, FailedFindings: [] })
      .resolvesOnce({
        FailedCount: 2,
        SuccessCount: 98,
        FailedFindings: refused.map((finding) => ({
          Id: finding.Id,
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'Finding does not adhere to the ASFF schema',
        })),
      })
      .resolvesOnce({ FailedCount: 0, SuccessCount: 50, FailedFindings: [] });

    // Act
    const result = await importToSecurityHub(client, findings);

    // Assess
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(3);
    expect(result.sent).toBe(250);
    expect(result.imported).toBe(248);
    expect(result.failed).toEqual(
      refused.map((finding) => ({
        id: finding.Id,
        code: 'InvalidInput',
        message: 'Finding does not adhere to the ASFF schema',
      })),
    );
  });

  it('does not send a finding of another account through this account default product', async () => {
    // Prepare
    const findings = toAsffFindings(makeReport([...manyFindings(2), errorFinding]), OPTIONS);
    securityHub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 2 });

    // Act
    const result = await importToSecurityHub(client, findings);

    // Assess
    const [call] = securityHub.commandCalls(BatchImportFindingsCommand);
    expect(call?.args[0].input.Findings?.map((finding) => finding.AwsAccountId)).toEqual([ACCOUNT, ACCOUNT]);
    expect(result.sent).toBe(2);
    expect(result.imported).toBe(2);
    expect(result.failed).toEqual([
      {
        id: errorFinding.fingerprint,
        code: 'AccountMismatch',
        message: expect.stringContaining(`finding is for account ${errorFinding.accountId}`),
      },
    ]);
  });

  it('reports every finding of a refused request and goes on with the next one', async () => {
    // Prepare
    const findings = asff(150);
    securityHub
      .on(BatchImportFindingsCommand)
      .rejectsOnce(
        new InvalidAccessException({
          $metadata: { httpStatusCode: 401 },
          message: 'Security Hub is not enabled',
        }),
      )
      .resolvesOnce({ FailedCount: 0, SuccessCount: 50 });

    // Act
    const result = await importToSecurityHub(client, findings);

    // Assess
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
    expect(result.sent).toBe(150);
    expect(result.imported).toBe(50);
    expect(result.failed).toHaveLength(100);
    expect(result.failed[0]).toEqual({
      id: findings[0]?.Id,
      code: 'InvalidAccessException',
      message: 'Security Hub is not enabled',
    });
  });

  it('throws what is not an answer from the service', async () => {
    // Prepare
    securityHub.on(BatchImportFindingsCommand).rejects(new TypeError('not a service error'));

    // Act / Assess
    await expect(importToSecurityHub(client, asff(1))).rejects.toThrow(TypeError);
  });

  it('sends nothing for no findings, and honours a smaller batch size', async () => {
    // Prepare
    securityHub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 10 });

    // Act
    const none = await importToSecurityHub(client, []);
    const some = await importToSecurityHub(client, asff(25), { batchSize: 10 });

    // Assess
    expect(none).toEqual({ sent: 0, imported: 0, failed: [] });
    expect(
      securityHub.commandCalls(BatchImportFindingsCommand).map((call) => call.args[0].input.Findings?.length),
    ).toEqual([10, 10, 5]);
    expect(some.sent).toBe(25);
  });
});
