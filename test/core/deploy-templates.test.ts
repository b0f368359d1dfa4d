import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_CHECKS } from '../../checks/registry.js';
import { DEPLOY_TEMPLATES, roleTemplate } from '../../core/deploy-templates.js';
import { policyDocument } from '../../core/permissions.js';

describe('the role templates in deploy/', () => {
  it.each(DEPLOY_TEMPLATES)('$file is generated, never edited by hand', ({ file, role }) => {
    const committed = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    expect(committed).toBe(roleTemplate(ALL_CHECKS, role));
  });

  it('gives the audit role exactly the generated read-only policy and trusts only the scanner with an ExternalId', () => {
    // Act
    const template = parse(roleTemplate(ALL_CHECKS, 'audit'));

    // Assess
    const role = template.Resources.Role.Properties;
    expect(role.Policies[0].PolicyDocument).toEqual(policyDocument(ALL_CHECKS, 'audit'));
    const [trust] = role.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ AWS: { Ref: 'ScannerPrincipalArn' } });
    expect(trust.Condition).toEqual({ StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } });
    for (const action of role.Policies[0].PolicyDocument.Statement[0].Action) {
      expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List|Generate)/);
    }
  });
});
