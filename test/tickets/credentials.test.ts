import { describe, expect, it } from 'vitest';
import { resolveToken, type SecretValueReader, type SsmParameterReader } from '../../tickets/credentials.js';
import { TicketPreflightError } from '../../tickets/errors.js';

const TOKEN = 'ATATT-secret-value-0123456789';

describe('resolveToken', () => {
  it('reads an SSM SecureString with decryption', async () => {
    // Prepare
    const calls: unknown[] = [];
    const ssm: SsmParameterReader = {
      getParameter: async (input) => {
        calls.push(input);
        return { Parameter: { Value: `${TOKEN}\n`, Type: 'SecureString' } };
      },
    };

    // Act
    const token = await resolveToken({ ssmParameter: '/custos/jira-token' }, { ssm });

    // Assess
    expect(token).toBe(TOKEN);
    expect(calls).toEqual([{ Name: '/custos/jira-token', WithDecryption: true }]);
  });

  it('reads a Secrets Manager secret, plain or as JSON with a token field', async () => {
    const plain: SecretValueReader = { getSecretValue: async () => ({ SecretString: TOKEN }) };
    const json: SecretValueReader = {
      getSecretValue: async () => ({ SecretString: JSON.stringify({ token: TOKEN }) }),
    };
    const binary: SecretValueReader = { getSecretValue: async () => ({ SecretBinary: Buffer.from(TOKEN) }) };
    await expect(resolveToken({ secretsManager: 'custos/jira' }, { secretsManager: plain })).resolves.toBe(
      TOKEN,
    );
    await expect(resolveToken({ secretsManager: 'custos/jira' }, { secretsManager: json })).resolves.toBe(
      TOKEN,
    );
    await expect(
      resolveToken({ secretsManager: 'custos/jira' }, { secretsManager: () => binary }),
    ).resolves.toBe(TOKEN);
  });

  it('reads an environment variable for CLI runs, and refuses it where it is not allowed', async () => {
    await expect(resolveToken({ env: 'GITHUB_TOKEN' }, { env: { GITHUB_TOKEN: TOKEN } })).resolves.toBe(
      TOKEN,
    );
    await expect(
      resolveToken({ env: 'GITHUB_TOKEN' }, { env: { GITHUB_TOKEN: TOKEN }, allowEnv: false }),
    ).rejects.toThrow('is for CLI runs');
  });

  it('names where it looked, never what it found, when it cannot use the token', async () => {
    // Prepare
    const denied: SsmParameterReader = {
      getParameter: async () => {
        throw Object.assign(new Error(`AccessDeniedException: not allowed to read ${TOKEN}`), {
          name: 'AccessDeniedException',
        });
      },
    };
    const notJson: SecretValueReader = {
      getSecretValue: async () => ({ SecretString: JSON.stringify({ password: TOKEN }) }),
    };

    // Act
    const errors = await Promise.all([
      resolveToken({ ssmParameter: '/custos/jira-token' }, { ssm: denied }, 'tickets.jira.token').catch(
        (e: unknown) => e,
      ),
      resolveToken({ secretsManager: 'custos/jira' }, { secretsManager: notJson }).catch((e: unknown) => e),
      resolveToken({ env: 'NOPE' }, { env: {} }).catch((e: unknown) => e),
      resolveToken({ ssmParameter: '/custos/jira-token' }, {}).catch((e: unknown) => e),
    ]);

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(TicketPreflightError);
      expect((error as TicketPreflightError).exitCode).toBe(2);
      expect((error as Error).message).not.toContain(TOKEN);
    }
    expect((errors[0] as Error).message).toBe(
      'tickets.jira.token: SSM parameter /custos/jira-token could not be read (AccessDeniedException): check that it exists and that the role may ssm:GetParameter it and kms:Decrypt its key',
    );
    expect((errors[1] as Error).message).toContain('without a "token" string field');
    expect((errors[2] as Error).message).toContain('NOPE is not set');
    expect((errors[3] as Error).message).toContain('@aws-sdk/client-ssm');
  });
});
