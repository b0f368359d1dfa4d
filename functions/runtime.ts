/**
 * What the Lambda functions share, the counterpart of `cli/engine-context.ts`: the config from
 * the file bundled beside the code, the report bucket and its KMS key from the environment
 * CloudFormation sets (names, never secrets), the function role's own credentials (the default
 * chain), the account sessions, and ticket tokens from SSM or Secrets Manager only.
 *
 * Every account trusts one scanner principal (deploy/member-role.yml's ScannerPrincipalArn), while
 * each function has its own role: the plan and scanTarget roles may only become the stack's
 * scanner role, and the scanner role may only assume the audit role (and the organization reader).
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { historyChecks } from '../checks/history/index.js';
import { ALL_CHECKS } from '../checks/registry.js';
import { toolVersion } from '../cli/version.js';
import { type ConfigOverrides, parseConfigText, type ResolvedConfig } from '../core/config/load.js';
import type { EngineContext, EngineEvent } from '../core/engine/context.js';
import { ConfigError } from '../core/errors.js';
import { AwsClients, type ClientOptions } from '../inventory/clients.js';
import { assumedRoleProvider } from '../inventory/credentials.js';
import { AccountSessions } from '../inventory/sessions.js';
import { S3ReportStore } from '../reports/s3-store.js';
import type { ReportStore } from '../reports/store.js';
import type { TokenClients } from '../tickets/credentials.js';
import { createTicketSink } from '../tickets/factory.js';
import type { TicketSink } from '../tickets/types.js';

/** The environment variables serverless.yml sets on the functions. */
export const ENVIRONMENT = {
  bucket: 'CUSTOS_REPORT_BUCKET',
  kmsKey: 'CUSTOS_KMS_KEY_ARN',
  scanner: 'CUSTOS_SCANNER_ROLE_ARN',
  organizationReader: 'CUSTOS_ORG_READER_ROLE_ARN',
} as const;

/** The config file the bundle step copies beside each function's code. */
export const BUNDLED_CONFIG = 'custos.config.json';

/** What a deployment can vary; the defaults are the Lambda's own. Tests point them elsewhere. */
export interface RuntimeOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The config file; default `custos.config.json` in the function's task root. */
  readonly configPath?: string;
  readonly now?: () => Date;
  /** Where the audited accounts' AWS APIs answer; AWS itself when absent. */
  readonly awsEndpoint?: string;
  /** The scanner's own credentials; default the function role's (the default chain). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The report bucket's S3 client; default one for the function's region and role. */
  readonly reportClient?: () => S3Client;
  /** SSM and Secrets Manager clients for ticket tokens; default the SDK's for the function's region. */
  readonly tokens?: Pick<TokenClients, 'ssm' | 'secretsManager'>;
}

export interface LambdaSettings {
  readonly bucket: string;
  readonly kmsKeyArn: string;
  readonly region: string;
  /** The role the audited accounts trust; absent: the function's own role is the scanner. */
  readonly scannerRoleArn?: string;
  /** The organization reader in the management account; absent: the scanner lists the organization itself. */
  readonly organizationReaderArn?: string;
}

const DEFAULT_REGION = 'us-east-1';
/** A role without a path, as the stack and deploy/ create them (AssumeRole is sent to `role/<name>`). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@-]{1,64})$/;

/** The settings CloudFormation passes; a missing one is a broken deployment, said so by name. */
export function lambdaSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LambdaSettings {
  const bucket = env[ENVIRONMENT.bucket];
  const kmsKeyArn = env[ENVIRONMENT.kmsKey];
  const missing = [
    ...(bucket === undefined || bucket === '' ? [ENVIRONMENT.bucket] : []),
    ...(kmsKeyArn === undefined || kmsKeyArn === '' ? [ENVIRONMENT.kmsKey] : []),
  ];
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not set: the function runs only as serverless.yml deploys it`);
  }
  const scanner = roleArnSetting(env, ENVIRONMENT.scanner);
  const reader = roleArnSetting(env, ENVIRONMENT.organizationReader);
  return {
    bucket: bucket!,
    kmsKeyArn: kmsKeyArn!,
    region: env.AWS_REGION ?? DEFAULT_REGION,
    ...(scanner !== undefined && { scannerRoleArn: scanner }),
    ...(reader !== undefined && { organizationReaderArn: reader }),
  };
}

function roleArnSetting(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!ROLE_ARN.test(value)) throw new Error(`${name}: '${value}' is not an IAM role ARN`);
  return value;
}

/** The bundled config, resolved with a run's overrides. A bad file fails as the CLI fails: with its field path. */
export function loadLambdaConfig(
  options: RuntimeOptions,
  overrides: ConfigOverrides = {},
  asOf?: string,
): ResolvedConfig {
  const env = options.env ?? process.env;
  const path = options.configPath ?? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), BUNDLED_CONFIG);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ path: '', message: `cannot be read: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  const format = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? 'yaml' : 'json';
  return parseConfigText(text, path, format, overrides, asOf);
}

/**
 * The stack's report bucket, encrypted with the stack's key. `output.store` and `output.kmsKeyId`
 * are for CLI runs; evidence retention applies as in the CLI.
 */
export function openReportStore(config: ResolvedConfig, options: RuntimeOptions): S3ReportStore {
  const settings = lambdaSettings(options.env);
  return new S3ReportStore({
    client: reportClient(options, settings),
    bucket: settings.bucket,
    kmsKeyId: settings.kmsKeyArn,
    ...(config.evidence !== undefined && {
      objectLock: { mode: config.evidence.mode, retentionDays: config.evidence.retentionDays },
    }),
    ...(options.now !== undefined && { now: options.now }),
  });
}

/** The S3 client for the report bucket: presigning needs the same one the store writes with. */
export function reportClient(options: RuntimeOptions, settings = lambdaSettings(options.env)): S3Client {
  return options.reportClient?.() ?? new S3Client({ region: settings.region });
}

export interface LambdaEngine {
  readonly ctx: EngineContext;
  close(): void;
}

/**
 * The engine context for one run: the scanner (the stack's scanner role, assumed from the
 * function's own role when the deployment names one), the account sessions (the audit role in
 * each account, assumed by the scanner, every session named after the run), and, for listing an
 * organization, the organization reader in the management account when the deployment names one.
 */
export function openLambdaEngine(
  config: ResolvedConfig,
  runId: string,
  options: RuntimeOptions,
  onEvent?: (event: EngineEvent) => void,
): LambdaEngine {
  const settings = lambdaSettings(options.env);
  const functionOptions: ClientOptions = {
    credentials: options.credentials ?? fromNodeProviderChain(),
    homeRegion: settings.region,
    ...(options.awsEndpoint !== undefined && { endpoint: options.awsEndpoint }),
  };
  const own = new AwsClients(functionOptions);
  const opened: AwsClients[] = [own];
  // The scanner: the function's own role, or the stack's scanner role assumed from it.
  const scanner =
    settings.scannerRoleArn === undefined
      ? own
      : track(opened, assumedClients(own, settings.scannerRoleArn, undefined, runId));
  const reader =
    settings.organizationReaderArn !== undefined && config.accounts.source === 'organizations'
      ? // deploy/org-reader-role.yml trusts the scanner with the audit role's ExternalId.
        track(
          opened,
          assumedClients(scanner, settings.organizationReaderArn, config.assumeRole?.externalId, runId),
        )
      : undefined;
  const caller =
    reader === undefined ? scanner : track(opened, new OrganizationReaderClients(scanner.options, reader));
  // A session assumed from an assumed role (role chaining) lasts an hour at most.
  const auditRole =
    config.assumeRole !== undefined && settings.scannerRoleArn !== undefined
      ? {
          ...config.assumeRole,
          sessionDurationSeconds: Math.min(config.assumeRole.sessionDurationSeconds, CHAINED_SESSION_SECONDS),
        }
      : config.assumeRole;
  const sessions = new AccountSessions(caller, auditRole, runId);
  const ctx: EngineContext = {
    config,
    registry: ALL_CHECKS,
    historyRegistry: historyChecks,
    sessions,
    homeRegion: settings.region,
    // The bundle step defines the version; tests read it from package.json.
    toolVersion: process.env.CUSTOS_TOOL_VERSION ?? toolVersion(),
    now: options.now ?? (() => new Date()),
    ...(onEvent !== undefined && { onEvent }),
  };
  return {
    ctx,
    close() {
      // Destroys the caller's clients too.
      sessions.destroy();
      for (const clients of opened) if (clients !== caller) clients.destroy();
    },
  };
}

const CHAINED_SESSION_SECONDS = 3600;

function track(opened: AwsClients[], clients: AwsClients): AwsClients {
  opened.push(clients);
  return clients;
}

/** Clients holding a session of `roleArn`, assumed with `from`'s credentials, named after the run. */
function assumedClients(
  from: AwsClients,
  roleArn: string,
  externalId: string | undefined,
  runId: string,
): AwsClients {
  const [, accountId, roleName] = ROLE_ARN.exec(roleArn)!;
  const credentials = assumedRoleProvider(
    from,
    accountId!,
    {
      roleName: roleName!,
      sessionDurationSeconds: CHAINED_SESSION_SECONDS,
      ...(externalId !== undefined && { externalId }),
    },
    runId,
  );
  return new AwsClients({ ...from.options, credentials });
}

/**
 * The caller's clients, except that the organization-wide calls (ListAccounts and the
 * organization-scope collectors, which call IAM) go through the organization reader.
 */
class OrganizationReaderClients extends AwsClients {
  constructor(
    options: ClientOptions,
    private readonly reader: AwsClients,
  ) {
    super(options);
  }

  override organizations() {
    return this.reader.organizations();
  }

  override iam() {
    return this.reader.iam();
  }
}

/**
 * The configured ticket sink, tokens from SSM or Secrets Manager only (never an environment
 * variable: `allowEnv: false`).
 */
export async function openTicketSink(
  config: ResolvedConfig,
  store: ReportStore,
  options: RuntimeOptions,
): Promise<TicketSink | undefined> {
  const { region } = lambdaSettings(options.env);
  return createTicketSink(config.tickets, {
    store,
    tokens: {
      // Loaded only when the token is kept in that service.
      ssm: options.tokens?.ssm ?? (async () => new (await import('@aws-sdk/client-ssm')).SSM({ region })),
      secretsManager:
        options.tokens?.secretsManager ??
        (async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManager({ region })),
      allowEnv: false,
    },
    ...(options.now !== undefined && { now: options.now }),
  });
}
