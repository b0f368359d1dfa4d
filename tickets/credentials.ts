/**
 * Tracker tokens, read at run time: an SSM SecureString, a Secrets Manager secret, or (for CLI
 * runs, as CI systems inject secrets) an environment variable named in config. Never printed,
 * logged, or put in an error: the messages here name where the token was looked for, never what
 * was found.
 *
 * The AWS clients are passed in as small interfaces that the SDK's aggregated clients satisfy
 * (`new SSM({})` from @aws-sdk/client-ssm, `new SecretsManager({})` from
 * @aws-sdk/client-secrets-manager), so this module needs neither package to build or test.
 */
import { TicketPreflightError } from './errors.js';

export type TokenSource =
  | { readonly ssmParameter: string }
  | { readonly secretsManager: string }
  | { readonly env: string };

/** `SSM#getParameter` as @aws-sdk/client-ssm has it. */
export interface SsmParameterReader {
  getParameter(input: { Name: string; WithDecryption?: boolean }): Promise<{
    Parameter?: { Value?: string; Type?: string };
  }>;
}

/** `SecretsManager#getSecretValue` as @aws-sdk/client-secrets-manager has it. */
export interface SecretValueReader {
  getSecretValue(input: { SecretId: string }): Promise<{ SecretString?: string; SecretBinary?: Uint8Array }>;
}

export interface TokenClients {
  readonly ssm?: SsmParameterReader | (() => SsmParameterReader | Promise<SsmParameterReader>);
  readonly secretsManager?: SecretValueReader | (() => SecretValueReader | Promise<SecretValueReader>);
  /** Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether `{ env }` is accepted; default true (CLI runs). Lambda functions pass false: they
   * read secrets from SSM or Secrets Manager only.
   */
  readonly allowEnv?: boolean;
}

async function client<T extends object>(
  value: T | (() => T | Promise<T>) | undefined,
): Promise<T | undefined> {
  if (value === undefined) return undefined;
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

function awsErrorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'Error';
}

/**
 * The token `source` points to. Throws `TicketPreflightError` (exit 2) naming the source when it
 * cannot be read or is empty. A Secrets Manager secret may hold the token itself or a JSON
 * object with a `token` field.
 */
export async function resolveToken(
  source: TokenSource,
  clients: TokenClients = {},
  field = 'token',
): Promise<string> {
  if ('env' in source) {
    if (clients.allowEnv === false) {
      throw new TicketPreflightError(
        `${field}: an environment variable (${source.env}) is for CLI runs; here use { "ssmParameter" } or { "secretsManager" }`,
      );
    }
    const value = (clients.env ?? process.env)[source.env];
    if (value === undefined || value.trim() === '') {
      throw new TicketPreflightError(
        `${field}: the environment variable ${source.env} is not set or is empty`,
      );
    }
    return value.trim();
  }
  if ('ssmParameter' in source) {
    const ssm = await client(clients.ssm);
    if (ssm === undefined) {
      throw new TicketPreflightError(
        `${field}: reading SSM parameter ${source.ssmParameter} needs an SSM client (@aws-sdk/client-ssm)`,
      );
    }
    let value: string | undefined;
    try {
      value = (await ssm.getParameter({ Name: source.ssmParameter, WithDecryption: true })).Parameter?.Value;
    } catch (error) {
      throw new TicketPreflightError(
        `${field}: SSM parameter ${source.ssmParameter} could not be read (${awsErrorName(error)}): ` +
          'check that it exists and that the role may ssm:GetParameter it and kms:Decrypt its key',
      );
    }
    if (value === undefined || value.trim() === '') {
      throw new TicketPreflightError(`${field}: SSM parameter ${source.ssmParameter} is empty`);
    }
    return value.trim();
  }
  const secrets = await client(clients.secretsManager);
  if (secrets === undefined) {
    throw new TicketPreflightError(
      `${field}: reading secret ${source.secretsManager} needs a Secrets Manager client (@aws-sdk/client-secrets-manager)`,
    );
  }
  let answer: { SecretString?: string; SecretBinary?: Uint8Array };
  try {
    answer = await secrets.getSecretValue({ SecretId: source.secretsManager });
  } catch (error) {
    throw new TicketPreflightError(
      `${field}: secret ${source.secretsManager} could not be read (${awsErrorName(error)}): ` +
        'check that it exists and that the role may secretsmanager:GetSecretValue it',
    );
  }
  const text =
    answer.SecretString ??
    (answer.SecretBinary !== undefined ? Buffer.from(answer.SecretBinary).toString('utf8') : '');
  const token = tokenFromSecret(text);
  if (token === undefined) {
    throw new TicketPreflightError(
      `${field}: secret ${source.secretsManager} is empty or is JSON without a "token" string field`,
    );
  }
  return token;
}

function tokenFromSecret(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { token?: unknown };
      return typeof parsed.token === 'string' && parsed.token.trim() !== '' ? parsed.token.trim() : undefined;
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}
