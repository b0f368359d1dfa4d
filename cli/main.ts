/**
 * The `custos` command. Exit codes: 0 done (or the gate passed), 1 the gate found open findings
 * at or above --fail-on, 2 bad usage or input (nothing written), 3 the scan was incomplete and
 * --allow-incomplete was not given, 4 an unexpected internal error. Precedence: 2, 3, 1, 0.
 */
import { Command, CommanderError, Option } from 'commander';
import { CustosError } from '../core/errors.js';
import { SEVERITIES } from '../core/types.js';
import type { SecurityHubImportCommandOptions } from './securityhub.js';
import type { TicketsSyncOptions } from './tickets.js';
import { toolVersion } from './version.js';

// Each command's implementation is imported by its action, when that command runs: loading them
// all (the AWS SDK clients, the trackers' clients, the report renderers) would take longer than
// most commands do, and would delay `custos scan`'s first AWS call by as much.

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 4;

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function buildProgram(): Command {
  const program = new Command('custos')
    .description(
      'Audit AWS accounts for internet-open ports, public buckets, unencrypted volumes, root and MFA hygiene.',
    )
    .version(toolVersion())
    .exitOverride()
    .showHelpAfterError();

  program
    .command('scan')
    .description('Scan AWS (default credential chain) or an estate file, write the run to the report store.')
    .option('--estate <file>', 'scan an estate file (JSON or YAML) through the built-in AWS simulator')
    .option('--config <file>', 'config file (default: ./custos.config.json or .yaml if present)')
    .option('--out <dir>', 'report store folder (overrides output.store)')
    .option('--profile <name>', 'AWS shared-config profile for live scans')
    .option('--region <name>', 'region for discovery calls (default: AWS_REGION or us-east-1)')
    .option('--accounts <ids>', 'comma-separated account ids to scan (overrides accounts)')
    .option('--regions <names>', 'comma-separated regions to scan (overrides regions)')
    .option(
      '--checks <patterns>',
      'comma-separated check ids or prefixes such as "ec2.sg.*" (overrides checks.include)',
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when unsuppressed FAIL findings this severe or worse are open',
      ).choices([...SEVERITIES]),
    )
    .option(
      '--allow-incomplete',
      'gate on what was assessed instead of exiting 3 when something could not be',
    )
    .option('--only-new', 'gate only on findings new or regressed since the last stored run')
    .option('--json', 'print the report as JSON instead of the summary')
    .option('--quiet', 'print nothing but errors')
    .action(async (options) => {
      const { scanCommand } = await import('./scan.js');
      const outcome = await scanCommand(options, out);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('record')
    .description(
      'Scan as `custos scan` does, write no report, and save what was collected as an estate file to replay offline.',
    )
    .requiredOption(
      '--out <file>',
      'the estate file to write (JSON; YAML when the name ends in .yaml or .yml)',
    )
    .option('--estate <file>', 'record from an estate file (JSON or YAML) through the built-in AWS simulator')
    .option('--config <file>', 'config file (default: ./custos.config.json or .yaml if present)')
    .option('--profile <name>', 'AWS shared-config profile for live scans')
    .option('--region <name>', 'region for discovery calls (default: AWS_REGION or us-east-1)')
    .option('--accounts <ids>', 'comma-separated account ids to scan (overrides accounts)')
    .option('--regions <names>', 'comma-separated regions to scan (overrides regions)')
    .option('--checks <patterns>', 'record only what these checks read (default: every check)')
    .option('--keep-identifiers', 'keep tags, emails, account names and IAM user names')
    .option('--quiet', 'print nothing but errors and warnings')
    .addHelpText(
      'after',
      `
The estate file holds what the selected checks read, in AWS's own field names: every check
unless --checks narrows it (the config's checks.include is not used; checks.exclude is).
Replay it with \`custos scan --estate FILE\` and the same --config.

Calls that failed are recorded as faults, so the replay reports the same ERROR; an account
whose audit role could not be assumed gets a role name that no config can name.

Unless --keep-identifiers is given, the file leaves out or replaces:
  - tags: every Tags and TagSet list is dropped
  - emails: no account email is recorded; S3 ACL grantee emails become grantee-001@example.invalid, ...
  - S3 ACL owner and grantee display names are dropped
  - account names become account-<last 4 digits of the id>
  - IAM user names become user-001, user-002, ... in the credential report's user and arn
    columns and in VirtualMFADevices (root stays <root_account>); virtual MFA device names
    become mfa-001, ... (a device assigned to root keeps its name)
Bucket policies, rules, CIDRs, flags and dates are kept as collected: they decide verdicts.
`,
    )
    .action(async (options) => {
      const { recordCommand } = await import('./record.js');
      const outcome = await recordCommand(options, out);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('tickets')
    .description('Keep the ticket tracker in step with a stored run.')
    .command('sync')
    .description(
      'Create, update, close and reopen tickets for a stored run (what every scan does after writing).',
    )
    .requiredOption('--run <runId>', 'the stored run to sync')
    .option('--dry-run', 'print the planned creates, updates, closes and reopens; change nothing')
    .option('--config <file>', 'config file (default: ./custos.config.json or .yaml if present)')
    .option('--out <dir>', 'report store (overrides output.store)')
    .option('--profile <name>', 'AWS profile for an S3 store and for SSM / Secrets Manager tokens')
    .option('--region <name>', 'region for those calls (default: AWS_REGION or us-east-1)')
    .action(async (options: TicketsSyncOptions) => {
      const { ticketsSync } = await import('./tickets.js');
      process.exitCode = await ticketsSync(options, out);
    });

  program
    .command('securityhub')
    .description('Send findings to AWS Security Hub.')
    .command('import')
    .description(
      "Import a stored run's findings.asff.json into Security Hub (the scanning account's own findings).",
    )
    .requiredOption('--run <runId>', 'the stored run to import')
    .option('--config <file>', 'config file (default: ./custos.config.json or .yaml if present)')
    .option('--out <dir>', 'report store (overrides output.store)')
    .option('--profile <name>', 'AWS profile of the scanning account')
    .option('--region <name>', 'the region the findings were rendered for (default: AWS_REGION or us-east-1)')
    .action(async (options: SecurityHubImportCommandOptions) => {
      const { securityHubImport } = await import('./securityhub.js');
      process.exitCode = await securityHubImport(options, out);
    });

  program
    .command('invoke')
    .description(
      'Run the deployed audit now: start the state machine, wait for its report, print the summary, exit with the gate.',
    )
    .option('--state-machine-arn <arn>', 'the state machine to start (default: read from SSM)')
    .option(
      '--stage <name>',
      'the deployed stage, whose SSM parameter /custos/<stage>/state-machine-arn names it',
      'prod',
    )
    .option('--config <file>', 'config file for the gate (default: ./custos.config.json or .yaml if present)')
    .option('--accounts <ids>', 'comma-separated account ids to scan (default: the deployed config)')
    .option('--regions <names>', 'comma-separated regions to scan')
    .option('--checks <patterns>', 'comma-separated check ids or prefixes such as "ec2.sg.*"')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when unsuppressed FAIL findings this severe or worse are open',
      ).choices([...SEVERITIES]),
    )
    .option(
      '--allow-incomplete',
      'gate on what was assessed instead of exiting 3 when something could not be',
    )
    .option('--only-new', 'gate only on findings new or regressed since the last stored run')
    .option('--timeout <minutes>', 'how long to wait for the run before giving up (exit 4)', '60')
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--region <name>', 'region of the SSM parameter (default: AWS_REGION or us-east-1)')
    .option('--json', 'print the report as JSON instead of the summary')
    .option('--quiet', 'print nothing but errors')
    .action(async (options) => {
      const { invokeCommand } = await import('./invoke.js');
      const outcome = await invokeCommand(options, out);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('init')
    .description('Write a commented starter config (custos.config.yaml).')
    .option('--path <file>', 'where to write it', 'custos.config.yaml')
    .option('--force', 'overwrite an existing file')
    .action(async (options: { path?: string; force?: boolean }) => {
      const { initCommand } = await import('./init.js');
      out(`Wrote ${initCommand(options)}`);
    });

  program
    .command('checks')
    .description('List the check catalogue.')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const [{ checksCommand }, { ALL_CHECKS }] = await Promise.all([
        import('./checks.js'),
        import('../checks/registry.js'),
      ]);
      out(checksCommand(ALL_CHECKS, options.json === true));
    });

  program
    .command('permissions')
    .description('Print the read-only IAM policy the selected checks need.')
    .option('--config <file>', 'config file whose checks selection to use')
    .option('--checks <patterns>', 'comma-separated check ids or prefixes')
    .addOption(
      new Option(
        '--for <role>',
        'the audit role in each account, or the organization reader in the management account',
      )
        .choices(['audit', 'organization'])
        .default('audit'),
    )
    .action(async (options: { config?: string; checks?: string; for: 'audit' | 'organization' }) => {
      const { permissionsCommand } = await import('./permissions.js');
      out(permissionsCommand(options));
    });

  program
    .command('export')
    .description(
      'Build a compliance evidence bundle (zip) from the stored runs of a period, and write it to the report store. ' +
        'Exits 1 when the run history is not intact (the bundle records what is wrong).',
    )
    .requiredOption('--framework <id>', 'cis-aws-3.0, cis-aws-5.0, fsbp, hipaa, gdpr or ferpa')
    .requiredOption(
      '--from <date>',
      'first day (2026-11-01) or instant (2026-11-01T08:00:00Z), UTC, included',
    )
    .requiredOption('--to <date>', 'last day or instant, UTC, included')
    .option('--store <location>', 'report store: a folder or s3://bucket/prefix (default: output.store)')
    .option('--config <file>', 'config file (default: ./custos.config.json or .yaml if present)')
    .option('--out <file>', 'also write the bundle to this file')
    .option('--profile <name>', 'AWS shared-config profile for an S3 store')
    .option('--region <name>', 'region for an S3 store (default: AWS_REGION or us-east-1)')
    .option('--quiet', 'print nothing but errors')
    .action(async (options) => {
      const { exportCommand } = await import('./export.js');
      process.exitCode = await exportCommand(options, out);
    });

  program
    .command('verify')
    .description(
      'Check an evidence bundle: every file hash, the run manifests and the chain between runs. ' +
        'Exits 0 when intact, 1 when not (naming what), 2 for bad usage.',
    )
    .argument('<file>', 'the bundle (zip) that `custos export` wrote')
    .option(
      '--store <location>',
      "also check that each run's artifacts in this report store (folder or s3://bucket/prefix) match",
    )
    .option('--profile <name>', 'AWS shared-config profile for an S3 store')
    .option('--region <name>', 'region for an S3 store (default: AWS_REGION or us-east-1)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options) => {
      const { verifyCommand } = await import('./export.js');
      process.exitCode = await verifyCommand(file, options, out);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed what it had to say.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof CustosError) {
      process.stderr.write(`custos: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(
      `custos: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_INTERNAL;
  }
}
