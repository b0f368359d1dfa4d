import { describe, expect, it } from 'vitest';
import { PagingError, takePage } from '../../sim/paging.js';

const items = Array.from({ length: 7 }, (_, i) => i);
const rule = { min: 5, max: 1000, unrequested: 'all' } as const;

function walk(maxResults: number | undefined, maxPageSize?: number): number[][] {
  const pages: number[][] = [];
  let nextToken: string | undefined;
  do {
    const page = takePage(items, { maxResults, nextToken }, rule, { queryKey: 'q', maxPageSize });
    pages.push(page.items);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return pages;
}

describe('takePage', () => {
  it('answers everything at once when the API does so without MaxResults', () => {
    expect(walk(undefined)).toEqual([items]);
  });

  it('pages by MaxResults, and never above maxPageSize', () => {
    expect(walk(5)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ]);
    expect(walk(5, 3)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(walk(undefined, 3)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('answers an empty list with one empty page and no token', () => {
    expect(takePage([], {}, rule, { queryKey: 'q', maxPageSize: 2 })).toEqual({ items: [] });
  });

  it('uses the API default page size when it has one', () => {
    const page = takePage(items, {}, { min: 1, max: 100, unrequested: 4 }, { queryKey: 'q' });

    expect(page.items).toEqual([0, 1, 2, 3]);
    expect(page.nextToken).toBeDefined();
  });

  it('refuses MaxResults outside the API range', () => {
    expect(() => takePage(items, { maxResults: 4 }, rule, { queryKey: 'q' })).toThrow(PagingError);
    expect(() => takePage(items, { maxResults: 1001 }, rule, { queryKey: 'q' })).toThrow(
      /between 5 and 1000/,
    );
  });

  it('refuses a token from another query, and a forged one', () => {
    const { nextToken } = takePage(items, { maxResults: 5 }, rule, { queryKey: 'q' });

    expect(() => takePage(items, { nextToken }, rule, { queryKey: 'other' })).toThrow(PagingError);
    expect(() => takePage(items, { nextToken: 'garbage' }, rule, { queryKey: 'q' })).toThrow(PagingError);
    expect(takePage(items, { nextToken }, rule, { queryKey: 'q' }).items).toEqual([5, 6]);
  });
});
