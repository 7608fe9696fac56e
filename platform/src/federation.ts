import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import type { NonEmptyArray } from 'type-graphql';

/** The federation spec version every subgraph links, and the directives they may use. */
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", ' +
  'import: ["@key", "@shareable", "@external", "@requires", "@inaccessible"])';

/** Resolves an entity from its representation (`{ __typename, ...key }`). */
export type ReferenceResolver<TContext> = (
  representation: Record<string, unknown>,
  context: TContext,
) => unknown;

/** Options of {@link buildFederatedSchema}. */
export interface FederatedSchemaOptions<TContext> {
  // type-graphql takes resolver classes as plain constructors.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  referenceResolvers: Record<string, ReferenceResolver<TContext>>;
}

/**
 * Builds a federation 2 subgraph schema from type-graphql classes: type-graphql builds the
 * schema, its SDL is printed with the `@key` directives, the federation `@link` is added, and
 * `buildSubgraphSchema` adds `_entities` and `_service` over type-graphql's own resolvers.
 */
export async function buildFederatedSchema<TContext>(
  options: FederatedSchemaOptions<TContext>,
): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes ?? [],
    validate: false,
    emitSchemaFile: false,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`);
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<
    string,
    Record<string, unknown>
  >;

  for (const [typeName, resolveReference] of Object.entries(options.referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], __resolveReference: resolveReference };
  }
  // buildSubgraphSchema's resolver type is narrower than the map type-graphql produces.
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}
