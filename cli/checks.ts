/** `custos checks`: the catalogue as a table or JSON. */
import type { AnyCheck } from '../core/types.js';

export function checksCommand(checks: readonly AnyCheck[], json: boolean): string {
  const rows = checks.map((c) => ({
    id: c.id,
    severity: c.severity,
    scope: c.scope,
    title: c.title,
    frameworks: c.frameworks,
  }));
  if (json) return JSON.stringify(rows, null, 2);
  const table = rows.map((r) => ({
    ...r,
    mapped: Object.entries(r.frameworks)
      .filter(([id]) => id === 'cis-aws-5.0' || id === 'fsbp')
      .map(([id, controls]) => `${id === 'fsbp' ? 'FSBP' : 'CIS 5.0'} ${(controls ?? []).join(',')}`)
      .join('; '),
  }));
  const idWidth = Math.max(2, ...table.map((r) => r.id.length));
  const mappedWidth = Math.max(10, ...table.map((r) => r.mapped.length));
  const lines = [`${'ID'.padEnd(idWidth)}  SEVERITY  ${'FRAMEWORKS'.padEnd(mappedWidth)}  TITLE`];
  for (const r of table) {
    lines.push(
      `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${r.mapped.padEnd(mappedWidth)}  ${r.title}`,
    );
  }
  return lines.join('\n');
}
