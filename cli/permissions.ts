/** `custos permissions`: the exact read-only IAM policy for the selected checks. */
import { ALL_CHECKS } from '../checks/registry.js';
import { selectChecks } from '../core/engine/select.js';
import { policyDocument } from '../core/permissions.js';
import { loadConfig } from './config-file.js';
import { overridesFrom } from './scan.js';

export function permissionsCommand(options: {
  config?: string;
  checks?: string;
  for: 'audit' | 'organization';
}): string {
  const config = loadConfig(
    options.config,
    overridesFrom({ ...(options.checks !== undefined && { checks: options.checks }) }),
  );
  // Every selected check counts, including ones the settings leave out today: the role
  // should not need redeploying when an allowlist is added.
  const selection = selectChecks(ALL_CHECKS, config.checks, config.settings, options.config ?? 'config');
  const ids = new Set([...selection.checks.map((c) => c.id), ...selection.notRun.map((n) => n.checkId)]);
  return JSON.stringify(
    policyDocument(
      ALL_CHECKS.filter((c) => ids.has(c.id)),
      options.for,
      config.inventory.source,
    ),
    null,
    2,
  );
}
