import { describe, expect, it } from '@jest/globals';
import { hasMoreAliasesThan } from '../../../src/graphql/aliasCount.js';

describe('hasMoreAliasesThan', () => {
  it('counts names followed by a colon in selection sets, fragments included', () => {
    const document = '{ a: me { id } b: me { x: id } } fragment F on Query { c: me { id } }';
    expect(hasMoreAliasesThan(document, 3)).toBe(true);
    expect(hasMoreAliasesThan(document, 4)).toBe(false);
  });

  it('does not count arguments, variable definitions, input objects, strings or comments', () => {
    const document = `query Q($first: Int = 10, $filter: Filter = { status: ACTIVE }) {
      # not: an alias
      customers(first: $first, filter: { status: ACTIVE, tags: ["x: y"] }) @include(if: true) {
        edges { node { id } }
      }
      plans(filter: { name: """a: b""" }) { id }
    }`;
    expect(hasMoreAliasesThan(document, 0)).toBe(false);
  });

  it('answers for a flood of aliases', () => {
    const many = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(hasMoreAliasesThan(many, 30)).toBe(true);
  });

  it('counts up to where a document stops lexing, and leaves the error to the parser', () => {
    expect(hasMoreAliasesThan('{ a: me b: me c: me " unterminated', 2)).toBe(true);
    expect(hasMoreAliasesThan('{ a: me b: me ~ c: me d: me }', 2)).toBe(false);
  });
});
