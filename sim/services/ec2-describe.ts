/**
 * The shape every EC2 Describe call shares: pick the caller's resources in the region, narrow
 * them by id lists and filters, page them, write the page.
 */
import { AwsError } from '../aws-error.js';
import type { EstateEc2 } from '../estate.js';
import { type PageRule, takePage } from '../paging.js';
import type { Ec2Handler } from '../protocols/ec2-query.js';
import type { FormInput } from '../protocols/form.js';
import type { HandlerContext } from '../service.js';
import { textElement } from '../xml.js';
import { applyFilters, type FilterOptions } from './ec2-filters.js';

export interface IdList<T> {
  /** The request parameter, without its `.N`: `GroupId`. */
  readonly param: string;
  readonly field: keyof T & string;
  /** EC2's answer when one of the ids does not exist. */
  readonly notFound: (id: string) => AwsError;
}

export interface DescribeSpec<T extends object> {
  readonly items: (ec2: EstateEc2, input: FormInput, call: HandlerContext) => readonly T[];
  readonly ids: ReadonlyArray<IdList<T>>;
  readonly filters: FilterOptions;
  readonly paging: PageRule;
  /** DescribeInstances and DescribeNetworkInterfaces refuse MaxResults together with ids. */
  readonly idsExcludeMaxResults?: boolean;
  /** Writes one page of results (without the token). */
  readonly render: (items: T[], call: HandlerContext) => string;
}

export function describe<T extends object>(spec: DescribeSpec<T>): Ec2Handler {
  return function describeResources(input, call) {
    let items = spec.items(regionEc2(call), input, call);
    for (const ids of spec.ids) {
      const wanted = input.list(ids.param);
      if (wanted.length === 0) continue;
      if (spec.idsExcludeMaxResults && input.string('MaxResults') !== undefined) {
        throw new AwsError(
          'InvalidParameterCombination',
          `The parameter ${ids.param}s cannot be used with the parameter maxResults`,
        );
      }
      const known = new Set(items.map((item) => item[ids.field]));
      const missing = wanted.find((id) => !known.has(id as T[keyof T & string]));
      if (missing !== undefined) throw ids.notFound(missing);
      items = items.filter((item) => wanted.includes(item[ids.field] as string));
    }
    items = applyFilters(items, input, spec.filters);
    const page = takePage(
      items,
      { maxResults: input.int('MaxResults'), nextToken: input.string('NextToken') },
      spec.paging,
      { queryKey: call.queryKey, maxPageSize: call.sim.maxPageSize },
    );
    const token = page.nextToken === undefined ? '' : textElement('nextToken', page.nextToken);
    return spec.render(page.items, call) + token;
  };
}

/**
 * The caller's EC2 resources in the call's region. The server answers only enabled regions, so
 * a missing region here would be a simulator bug; it still answers as AWS would.
 */
export function regionEc2(call: HandlerContext): EstateEc2 {
  const ec2 = call.sim.estate.accounts[call.caller.accountId]?.regions[call.region]?.ec2;
  if (ec2 === undefined) {
    throw new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  }
  return ec2;
}

/** EC2's not-found answer: `InvalidGroup.NotFound`, "The security group 'sg-1' does not exist". */
export function notFound(code: string, what: string): (id: string) => AwsError {
  return (id) => new AwsError(code, `The ${what} '${id}' does not exist`);
}
