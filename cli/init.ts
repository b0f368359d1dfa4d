/** `custos init`: writes a commented starter config that validates as it stands. */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

export const STARTER_CONFIG = `# custos configuration. Every key is optional; an unknown key is an error.
# Editors complete keys from the JSON Schema that ships with custos:
# yaml-language-server: $schema=./node_modules/custos/schema/custos.config.schema.json

accounts:
  # "self": the caller's own account; "organizations": every ACTIVE account of the
  # organization (run from the management account or a delegated administrator);
  # "list": exactly the ids below.
  source: self
  # ids: ["111122223333"]
  # exclude: ["444455556666"]

# "all": every region DescribeRegions reports as enabled; or a list.
regions: all

# The read-only audit role to assume in each account (\`custos permissions\` prints its policy).
# Needed for "organizations" and "list".
# assumeRole:
#   roleName: CustosAudit
#   externalId: replace-with-a-random-value
#   sessionDurationSeconds: 3600

checks:
  # Check ids or family prefixes ending in ".*" (\`custos checks\` lists them).
  include: ["*"]
  exclude: []

network:
  adminPorts: [22, 3389]      # remote administration ports
  publicPorts: [80, 443]      # ports allowed to face the internet
  # Approved source ranges (IPv4/IPv6 CIDRs or managed prefix list ids). With none, the
  # allowlist check does not run.
  # allowlist: ["203.0.113.0/24", "pl-0123456789abcdef0"]

iam:
  rootUseDays: 30             # root used within this many days fails
  unusedDays: 45              # credentials unused this long fail (CIS 1.12)
  keyRotationDays: 90         # active keys older than this fail
  dormantDays: 90

output:
  store: ./custos-reports     # a folder
  formats: [json]
`;

export function initCommand(options: { path?: string; force?: boolean }, cwd = process.cwd()): string {
  const target = resolve(cwd, options.path ?? 'custos.config.yaml');
  if (existsSync(target) && options.force !== true) {
    throw new UsageError(`${target} already exists; pass --force to overwrite it`);
  }
  writeFileSync(target, STARTER_CONFIG);
  return target;
}
