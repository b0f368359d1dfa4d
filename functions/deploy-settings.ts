/**
 * What serverless.yml takes from the config file at package time, checked with custos's own
 * loader: a bad config fails the package with its field path, as `custos scan` would fail.
 * Pure: the caller reads the file. Nothing here needs AWS credentials.
 */
import { ALL_CHECKS } from '../checks/registry.js';
import { DEFAULTS, parseConfigDocument, type ResolvedConfig, resolveConfig } from '../core/config/load.js';
import { ConfigError, type FieldProblem } from '../core/errors.js';
import { requiredActions } from '../core/permissions.js';

/** The nightly run when the config has no `schedule`: 02:00 UTC. */
export const DEFAULT_CRON = 'cron(0 2 * * ? *)';

export interface DeploySettings {
  readonly schedule: {
    readonly cron: string;
    readonly maxConcurrency: number;
    readonly toleratedFailurePercentage: number;
  };
  readonly evidence: { readonly retentionDays: number; readonly mode: 'GOVERNANCE' | 'COMPLIANCE' };
  /** The audit role the scanner assumes in every account (`assumeRole.roleName`). */
  readonly auditRoleName: string;
  /**
   * The ticket token's SSM parameter as the part of its ARN after the region and account
   * (`parameter/custos/jira-token`), or '' when the token is not in SSM.
   */
  readonly ticketTokenParameter: string;
  /** The ticket token's secret as the part of its ARN after the account (`secret:jira-??????`), or ''. */
  readonly ticketTokenSecret: string;
  /** The AWS Config aggregator the scanner queries (`inventory.source: "config-aggregator"`), or ''. */
  readonly configAggregatorName: string;
  /** What the plan function needs to list the organization itself (delegated administrator). */
  readonly organizationReaderActions: readonly string[];
  /** The config document as given, bundled beside each function as JSON. */
  readonly document: unknown;
  readonly digest: string;
}

export function deploySettings(text: string, source: string, format: 'json' | 'yaml'): DeploySettings {
  const document = parseConfigDocument(text, source, format);
  const config = resolveConfig(document, source);
  const problems = cloudProblems(config);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const token = ticketToken(config);
  return {
    schedule: config.schedule ?? {
      cron: DEFAULT_CRON,
      maxConcurrency: DEFAULTS.maxConcurrency,
      toleratedFailurePercentage: DEFAULTS.toleratedFailurePercentage,
    },
    evidence: config.evidence ?? { retentionDays: DEFAULTS.retentionDays, mode: 'GOVERNANCE' },
    auditRoleName: config.assumeRole!.roleName,
    ticketTokenParameter:
      token !== undefined && 'ssmParameter' in token ? parameterArnPart(token.ssmParameter) : '',
    ticketTokenSecret:
      token !== undefined && 'secretsManager' in token ? secretArnPart(token.secretsManager) : '',
    configAggregatorName:
      config.inventory.source === 'config-aggregator' ? config.inventory.aggregatorName : '',
    organizationReaderActions: requiredActions(ALL_CHECKS, 'organization'),
    document,
    digest: config.digest,
  };
}

/** What the cloud deployment needs beyond what the CLI accepts. */
function cloudProblems(config: ResolvedConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (config.assumeRole === undefined) {
    problems.push({
      path: 'assumeRole',
      message:
        'missing: the cloud deployment scans every account through the audit role (deploy/member-role.yml); set assumeRole.roleName',
    });
  }
  const sink =
    config.tickets?.sink ?? (config.tickets?.jira ? 'jira' : config.tickets?.github ? 'github' : 'local');
  for (const name of ['jira', 'github'] as const) {
    const token = config.tickets?.[name]?.token;
    if (token !== undefined && 'env' in token && sink === name) {
      problems.push({
        path: `tickets.${name}.token`,
        message: `an environment variable (${token.env}) is for CLI runs; the functions read tokens from { "ssmParameter" } or { "secretsManager" }`,
      });
    }
  }
  return problems;
}

function ticketToken(config: ResolvedConfig) {
  const tickets = config.tickets;
  if (tickets === undefined || tickets.sink === 'none' || tickets.sink === 'local') return undefined;
  if (tickets.sink === 'github') return tickets.github?.token;
  if (tickets.sink === 'jira') return tickets.jira?.token;
  return tickets.jira?.token ?? tickets.github?.token;
}

/** `jira-token` → `secret:jira-token-??????` (Secrets Manager adds six characters to a name); an ARN's own part. */
export function secretArnPart(name: string): string {
  const arn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:(secret:.+)$/.exec(name);
  if (arn !== null) return arn[1]!;
  return `secret:${name}-??????`;
}

/** `/custos/jira-token` → `parameter/custos/jira-token`; `token` → `parameter/token`; an ARN's own part. */
export function parameterArnPart(name: string): string {
  const arn = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:(parameter\/.+)$/.exec(name);
  if (arn !== null) return arn[1]!;
  return name.startsWith('/') ? `parameter${name}` : `parameter/${name}`;
}
