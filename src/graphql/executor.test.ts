import { unwrapResolverError } from '@apollo/server/errors';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { jitGateway } from './executor.js';

class Refused extends Error {
  extensions = { code: 'FORBIDDEN' };
}

const schema = makeExecutableSchema({
  typeDefs: 'type Query { hello(n: Int!): String! refused: String }',
  resolvers: { Query: { hello: (_: unknown, { n }: { n: number }, ctx: { who: string }) => `${ctx.who} ${n}`, refused: () => { throw new Refused('no'); } } },
});

async function run(query: string, variables: Record<string, unknown> = {}) {
  const gateway = jitGateway(schema);
  let announced = false;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => (announced = apiSchema === schema));
  const { executor } = await gateway.load({ apollo: {} });
  expect(announced).toBe(true);
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const request = { document, operation, operationName: null, request: { variables }, context: { who: 'you' } };
  return executor!(request as unknown as Parameters<NonNullable<typeof executor>>[0]);
}

describe('the compiled executor', () => {
  it('runs the same resolvers with the request context and coerced variables', async () => {
    expect(await run('query($n: Int!) { hello(n: $n) }', { n: 3 })).toEqual({ data: { hello: 'you 3' } });
  });

  it("reports a bad variable exactly as graphql-js does (Apollo's BAD_USER_INPUT)", async () => {
    const result = await run('query($n: Int!) { hello(n: $n) }', { n: 'three' });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toBe('Variable "$n" got invalid value "three"; Int cannot represent non-integer value: "three"');
  });

  it('gives resolver errors as graphql-js GraphQLErrors with path, locations and the original error', async () => {
    const result = await run('{ refused }');
    const error = result.errors![0]!;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.path).toEqual(['refused']);
    expect(error.locations).toEqual([{ line: 1, column: 3 }]);
    expect(error.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(unwrapResolverError(error)).toBeInstanceOf(Refused);
    expect(result.data).toEqual({ refused: null });
  });
});
