/**
 * Reading a compiled CloudFormation template the way CloudFormation would: conditions evaluated,
 * `Fn::If` branches chosen, `AWS::NoValue` dropped, resources named as `${Logical.Arn}` strings.
 */
import { createRequire } from 'node:module';
import type { Template } from './packaged.js';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  /** Each resource as a string: a literal, `${Logical}` for a Ref, `${Logical.Attr}` for a GetAtt. */
  readonly Resource: string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type AslValidator = (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };

// asl-validator is CommonJS and ships no types: load it through require with the slice of its API in use.
export const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/** Each condition's value; the template's conditions compare literals settled at package time. */
export function conditionValues(template: Template): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  const evaluate = (node: unknown): boolean => {
    const n = node as Record<string, unknown>;
    if ('Fn::Not' in n) return !evaluate((n['Fn::Not'] as unknown[])[0]);
    if ('Fn::Equals' in n) {
      const [a, b] = n['Fn::Equals'] as unknown[];
      return JSON.stringify(a) === JSON.stringify(b);
    }
    if ('Condition' in n) return values[n.Condition as string] ?? false;
    throw new Error(`unsupported condition ${JSON.stringify(node)}`);
  };
  for (const [name, body] of Object.entries(template.Conditions ?? {})) values[name] = evaluate(body);
  return values;
}

/** `node` with every `Fn::If` replaced by its chosen branch and `AWS::NoValue` removed. */
export function resolveIfs(node: unknown, conditions: Record<string, boolean>): unknown {
  if (Array.isArray(node)) {
    return node.map((n) => resolveIfs(n, conditions)).filter((n) => n !== NO_VALUE);
  }
  if (node !== null && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if ('Fn::If' in n) {
      const [name, yes, no] = n['Fn::If'] as [string, unknown, unknown];
      if (!(name in conditions)) throw new Error(`unknown condition ${name}`);
      return resolveIfs(conditions[name] ? yes : no, conditions);
    }
    if ('Ref' in n && n.Ref === 'AWS::NoValue') return NO_VALUE;
    return Object.fromEntries(
      Object.entries(n)
        .map(([k, v]) => [k, resolveIfs(v, conditions)] as const)
        .filter(([, v]) => v !== NO_VALUE),
    );
  }
  return node;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** A resource or value as a string: `Fn::Sub` text as written, `${X}` for Ref, `${X.Attr}` for GetAtt. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Sub' in v)
    return typeof v['Fn::Sub'] === 'string' ? v['Fn::Sub'] : String((v['Fn::Sub'] as unknown[])[0]);
  if ('Ref' in v) return `\${${String(v.Ref)}}`;
  if ('Fn::GetAtt' in v) {
    const att = v['Fn::GetAtt'];
    return `\${${Array.isArray(att) ? att.join('.') : String(att)}}`;
  }
  return JSON.stringify(value);
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every statement of an IAM role's inline policies, conditions resolved. */
export function roleStatements(template: Template, logicalId: string): Statement[] {
  const role = template.Resources[logicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${logicalId} is not an IAM role`);
  const conditions = conditionValues(template);
  const policies = resolveIfs(role.Properties.Policies ?? [], conditions) as Array<{
    PolicyDocument: { Statement: unknown[] };
  }>;
  return policies.flatMap((p) => p.PolicyDocument.Statement.map(normalise));
}

/** The statements of a bucket policy or a key policy. */
export function policyStatements(document: unknown, template: Template): Statement[] {
  const resolved = resolveIfs(document, conditionValues(template)) as { Statement: unknown[] };
  return resolved.Statement.map(normalise);
}

function normalise(raw: unknown): Statement {
  const s = raw as Record<string, unknown>;
  return {
    ...(s.Sid !== undefined && { Sid: s.Sid as string }),
    Effect: s.Effect as 'Allow' | 'Deny',
    Action: list(s.Action).map(String),
    Resource: list(s.Resource).map(asText),
    ...(s.Principal !== undefined && { Principal: s.Principal }),
    ...(s.Condition !== undefined && { Condition: s.Condition as Record<string, Record<string, unknown>> }),
  };
}

/** The resources of the allowed statements that grant `action`. */
export function resourcesFor(statements: readonly Statement[], action: string): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && s.Action.includes(action))
    .flatMap((s) => s.Resource)
    .sort();
}

export function resourcesOfType(
  template: Template,
  type: string,
): Array<[string, Template['Resources'][string]]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
