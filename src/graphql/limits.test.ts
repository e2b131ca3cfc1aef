import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from './schema.js';
import { createOperationPolicy, operationCost } from './limits.js';

const schema = buildSchema();
const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => operationCost(schema, parse(query), operationName, variables);

describe('operation cost', () => {
  it('counts fields, multiplying what a connection selects by its `first`', () => {
    expect(cost('{ me { id handle } }')).toBe(3);
    // followers: 1 + 10 × (edges 1 + node 1 + handle 1)
    expect(cost('{ me { followers(first: 10) { edges { node { handle } } } } }')).toBe(1 + 1 + 10 * 3);
  });

  it('takes `first` from variables, their defaults and the argument default alike', () => {
    const query = 'query($n: Int) { me { followers(first: $n) { edges { node { handle } } } } }';
    expect(cost(query, { n: 100 })).toBe(2 + 100 * 3);
    expect(cost(query.replace('$n: Int', '$n: Int = 50'))).toBe(2 + 50 * 3);
    // Absent, or null, is the schema's `first: Int = 20`, as the resolvers read it.
    expect(cost('{ me { followers { edges { node { handle } } } } }')).toBe(2 + 20 * 3);
    expect(cost(query)).toBe(2 + 20 * 3);
    expect(cost(query, { n: null })).toBe(2 + 20 * 3);
  });

  it('counts fragments where they are spread, and leaves out skipped fields', () => {
    const query = `query($skip: Boolean!) { me { ...F } other: me { ...F } }
      fragment F on User { followers(first: 5) { edges { node { handle @skip(if: $skip) id } } } }`;
    expect(cost(query, { skip: false })).toBe(2 * (1 + 1 + 5 * 4));
    expect(cost(query, { skip: true })).toBe(2 * (1 + 1 + 5 * 3));
  });

  it('prices nothing it cannot run: variables that do not coerce, an unknown operation', () => {
    expect(cost('query($n: Int) { me { followers(first: $n) { edges { cursor } } } }', { n: 'many' })).toBeNull();
    expect(cost('query A { me { id } }', {}, 'B')).toBeNull();
  });

  it('refuses over the limit with GRAPHQL_VALIDATION_FAILED and says by how much', () => {
    const policy = createOperationPolicy({ introspection: false, limits: { maxCost: 100, maxDepth: 10, maxAliases: 15 } });
    const error = policy.checkCost(schema, parse('{ me { followers(first: 50) { edges { cursor } } } }'), undefined, {});
    expect(error?.message).toBe('Query Cost limit of 100 exceeded, found 102.');
    expect(error?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(policy.checkCost(schema, parse('{ me { id } }'), undefined, {})).toBeNull();
  });
});
