/**
 * The config file's schema: the one definition of `custos.config.json` / `.yaml`. The JSON
 * Schema shipped in `schema/custos.config.schema.json` is generated from it, so editors
 * complete exactly what custos accepts. Keys are added, never renamed.
 */
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { SEVERITIES } from '../types.js';

const ACCOUNT_ID = /^\d{12}$/;
const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const CHECK_PATTERN = /^(\*|[a-z0-9]+(\.[a-z0-9-]+)*(\.\*)?)$/;

export function isCidrOrPrefixList(value: string): boolean {
  if (PREFIX_LIST_ID.test(value)) return true;
  if (!value.includes('/')) return false;
  // IPv4 must be plain four-part decimal: ipaddr.js would read `010.0.0.0/8` as octal.
  if (value.includes('.') && !value.includes(':')) return ipaddr.IPv4.isValidCIDRFourPartDecimal(value);
  return ipaddr.IPv6.isValidCIDR(value);
}

const accountId = z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id');
const region = z.string().regex(REGION, 'expected an AWS region name such as "eu-west-1"');
const port = z.int().min(0).max(65535);
const days = z.int().min(1).max(3650);
const severity = z.enum(SEVERITIES);

const secretRef = z
  .union([
    z.strictObject({ ssmParameter: z.string().min(1) }),
    z.strictObject({ secretsManager: z.string().min(1) }),
    z.strictObject({
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'),
    }),
  ])
  .meta({ description: 'Where a token is read from at run time; never the token itself.' });

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    accounts: z
      .strictObject({
        source: z.enum(['self', 'organizations', 'list']).default('self').meta({
          description:
            '"self": the caller\'s own account; "organizations": every ACTIVE account of the organization; "list": exactly `ids`.',
        }),
        ids: z.array(accountId).optional(),
        exclude: z.array(accountId).optional(),
      })
      .optional(),
    regions: z
      .union([z.literal('all'), z.array(region).min(1)])
      .optional()
      .meta({ description: '"all": every region DescribeRegions reports as enabled; or a list.' }),
    assumeRole: z
      .strictObject({
        roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name'),
        externalId: z
          .string()
          .regex(/^[\w+=,.@:/-]{2,1224}$/, 'expected 2-1224 characters of [A-Za-z0-9+=,.@:/-]')
          .optional(),
        sessionDurationSeconds: z.int().min(900).max(43200).optional(),
      })
      .optional()
      .meta({ description: 'The read-only audit role to assume in every scanned account.' }),
    checks: z
      .strictObject({
        include: z
          .array(z.string().regex(CHECK_PATTERN, 'expected a check id or a prefix ending in ".*"'))
          .optional(),
        exclude: z
          .array(z.string().regex(CHECK_PATTERN, 'expected a check id or a prefix ending in ".*"'))
          .optional(),
      })
      .optional(),
    network: z
      .strictObject({
        adminPorts: z.array(port).optional(),
        publicPorts: z.array(port).optional(),
        allowlist: z
          .array(
            z.string().refine(isCidrOrPrefixList, { message: 'is not an IPv4/IPv6 CIDR or prefix list id' }),
          )
          .optional(),
      })
      .optional(),
    iam: z
      .strictObject({
        rootUseDays: days.optional(),
        unusedDays: days.optional(),
        keyRotationDays: days.optional(),
        dormantDays: days.optional(),
      })
      .optional(),
    output: z
      .strictObject({
        store: z.string().min(1).optional().meta({ description: 'A folder, or "s3://bucket/prefix".' }),
        formats: z
          .array(z.enum(['json', 'csv', 'ocsf', 'asff', 'junit', 'html']))
          .optional()
          .meta({ description: 'Formats written beside report.json; default: all of them.' }),
        kmsKeyId: z
          .string()
          .regex(
            /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/.+|[0-9a-f-]{36})$/,
            'expected a KMS key id, ARN or alias',
          )
          .optional()
          .meta({ description: 'The customer-managed KMS key an S3 store encrypts with (SSE-KMS).' }),
      })
      .optional(),
    gate: z
      .strictObject({
        failOn: severity.optional().meta({
          description:
            'Exit 1 when unsuppressed FAIL findings of this severity or worse are open; absent: no gate.',
        }),
        allowIncomplete: z
          .boolean()
          .optional()
          .meta({ description: 'Gate an incomplete scan on what it assessed instead of exiting 3.' }),
        onlyNew: z
          .boolean()
          .optional()
          .meta({ description: 'Only findings new or regressed since the last stored run block the gate.' }),
      })
      .optional(),
    suppressions: z
      .array(
        z.strictObject({
          checks: z
            .array(z.string().regex(CHECK_PATTERN, 'expected a check id, a prefix ending in ".*", or "*"'))
            .min(1, 'is empty: omit the key to match any check')
            .optional(),
          accounts: z
            .array(z.union([z.literal('*'), accountId]))
            .min(1, 'is empty: omit the key to match any account')
            .optional(),
          regions: z
            .array(z.union([z.literal('*'), z.literal('global'), region]))
            .min(1, 'is empty: omit the key to match any region')
            .optional(),
          resources: z
            .array(z.string().min(1, 'expected an ARN or a glob such as "arn:aws:s3:::public-*"'))
            .min(1, 'is empty: omit the key to match any resource')
            .optional()
            .meta({
              description:
                'Globs over the resource id: "*" matches any run of characters (":" and "/" included), "?" one.',
            }),
          tags: z
            .record(z.string().min(1), z.string())
            .optional()
            .meta({ description: 'All must be on the finding; a value of "*" only needs the key.' }),
          reason: z.string().regex(/\S/, 'is empty: say why these findings are accepted'),
          expires: z.iso.date().meta({
            description: 'YYYY-MM-DD, at most a year ahead; applies up to the end of that day, UTC.',
          }),
        }),
      )
      .optional(),
    tickets: z
      .strictObject({
        sink: z.enum(['local', 'jira', 'github', 'none']).optional(),
        minSeverity: severity.optional(),
        maxNewPerRun: z.int().min(0).optional(),
        grouping: z.enum(['check-account', 'finding']).optional(),
        jira: z
          .strictObject({
            baseUrl: z.url(),
            projectKey: z.string().min(1),
            issueType: z.string().min(1).optional(),
            email: z.string().min(1),
            token: secretRef,
            priorities: z.partialRecord(severity, z.string()).optional(),
          })
          .optional(),
        github: z
          .strictObject({
            repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected "owner/name"'),
            token: secretRef,
            baseUrl: z.url().optional(),
            allowPublic: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    inventory: z
      .strictObject({
        source: z.enum(['api', 'config', 'config-aggregator']).optional(),
        aggregatorName: z.string().min(1).optional(),
      })
      .optional(),
    schedule: z
      .strictObject({
        cron: z
          .string()
          .regex(/^cron\(.+\)$|^rate\(.+\)$/, 'expected an EventBridge "cron(...)" or "rate(...)"'),
        maxConcurrency: z.int().min(1).max(10000).optional(),
        toleratedFailurePercentage: z.number().min(0).max(100).optional(),
      })
      .optional(),
    evidence: z
      .strictObject({
        retentionDays: z.int().min(1).max(36500).optional(),
        mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
      })
      .optional(),
  })
  .meta({
    title: 'custos configuration',
    description: 'Configuration of the custos AWS configuration scanner. Every key is optional.',
  });

export type ConfigFile = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigSchema>;

/** The JSON Schema editors use; written to `schema/custos.config.schema.json` at build. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
