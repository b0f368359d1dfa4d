/**
 * The estate loader on any document: an estate or an EstateError whose every problem names
 * the field (or is about the document as a whole), never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EstateError } from '../../core/errors.js';
import { type Estate, parseEstate } from '../../sim/estate.js';
import { richEstateDocument } from '../sim/fixtures.js';
import { damaged, isPlainObject } from './mutate.js';

const PROPERTY = { seed: 20_260_119, numRuns: 300 } as const;
const SOURCE = 'estate.json';

/** Problems about the estate as a whole, which name no field. */
const DOCUMENT_LEVEL = [/^the estate holds no account/];

type Outcome =
  | { readonly ok: true; readonly estate: Estate }
  | { readonly ok: false; readonly error: unknown };

function attempt(document: unknown): Outcome {
  try {
    return { ok: true, estate: parseEstate(document, SOURCE) };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('parseEstate on any JSON document', () => {
  it('the rich estate parses (the base the damaged documents start from)', () => {
    expect(Object.keys(parseEstate(richEstateDocument(), SOURCE).accounts).length).toBeGreaterThan(1);
  });

  it('parses it or names every problem with its path, and throws nothing else', () => {
    fc.assert(
      fc.property(damaged(richEstateDocument()), (document) => {
        // Act
        const outcome = attempt(document);

        // Assess
        if (outcome.ok) {
          for (const [id, account] of Object.entries(outcome.estate.accounts)) {
            expect(id).toMatch(/^\d{12}$/);
            expect(Array.isArray(account.s3.Buckets)).toBe(true);
          }
          return;
        }
        expect(outcome.error).toBeInstanceOf(EstateError);
        const error = outcome.error as EstateError;
        expect(error.exitCode).toBe(2);
        expect(error.problems.length).toBeGreaterThan(0);
        for (const problem of error.problems) {
          expect(problem.message.trim()).not.toBe('');
          if (problem.path === '') {
            expect(!isPlainObject(document) || DOCUMENT_LEVEL.some((p) => p.test(problem.message))).toBe(
              true,
            );
          } else {
            expect(error.message).toContain(`${problem.path}: `);
          }
        }
      }),
      PROPERTY,
    );
  });
});

describe('estate documents too deep to validate', () => {
  it('a value nested 10,000 lists deep is an EstateError', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}1${']'.repeat(10_000)}`);
    expect(() => parseEstate({ seed: deep }, SOURCE)).toThrow(EstateError);
  });
});
