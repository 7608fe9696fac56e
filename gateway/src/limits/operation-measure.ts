import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  getNullableType,
  isListType,
  validate,
} from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';

/** One `first` or `last` argument of the operation, with its value after variables. */
export interface PageRequest {
  /** The field's schema coordinate, such as `Query.modules`. */
  coordinate: string;
  argument: 'first' | 'last';
  size: number;
}

/** What one operation asks for, measured once and compared with the caller's limits. */
export interface OperationMeasurements {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  /**
   * The estimated cost; `Infinity` past graphql-query-complexity's node guard; `undefined` when a
   * variable does not coerce, which execution refuses before planning anyway.
   */
  cost: number | undefined;
  /** Every page size asked for (known only when the cost is). */
  pages: PageRequest[];
  /** Whether the operation selects `__schema` or `__type`. */
  introspection: boolean;
}

/** The input of {@link measureOperation}. */
export interface MeasureInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** The operation that will run; other operations of the document are not measured. */
  operation: OperationDefinitionNode;
  /** The document's text, for counting tokens. */
  source: string;
  variables: Readonly<Record<string, unknown>> | undefined;
  defaultListSize: number;
  listSizeHints: Readonly<Record<string, number>>;
}

// graphql-query-complexity's guard against fragment fan-out; past it, the cost is reported as
// infinite rather than computed.
const MAX_COST_NODES = 10_000;

/**
 * Measures depth, aliases, directives, tokens and cost of the operation that will run. The
 * graphql-armor rules measure with an infinite limit and report what they found, so each role's
 * limit is compared here with the numbers instead of rebuilding the rules per role.
 */
export function measureOperation(input: MeasureInput): OperationMeasurements {
  const document = selectOperation(input.document, input.operation);
  const found = { depth: 0, aliases: 0, directives: 0 };
  const record = (name: keyof typeof found) => [
    (_: unknown, details: { n: number }) => (found[name] = Math.max(found[name], details.n)),
  ];
  // The armor rules report nothing with an infinite limit, so any error is introspection's.
  const introspectionErrors = validate(input.schema, document, [
    maxDepthRule({ n: Infinity, flattenFragments: true, onAccept: record('depth') }),
    maxAliasesRule({ n: Infinity, onAccept: record('aliases') }),
    maxDirectivesRule({ n: Infinity, onAccept: record('directives') }),
    NoSchemaIntrospectionCustomRule,
  ]);
  const pages: PageRequest[] = [];

  return {
    ...found,
    tokens: countTokens(input.source),
    cost: estimateCost(input, document, pages),
    pages,
    introspection: introspectionErrors.length > 0,
  };
}

// The rules visit every operation of a document; only the one that runs, with its fragments,
// matters.
function selectOperation(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode =>
      definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  return { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
}

function countTokens(source: string): number {
  const parser = new MaxTokensParserWLexer(source, { n: Infinity });
  parser.parseDocument();
  return parser.tokenCount;
}

function estimateCost(
  input: MeasureInput,
  document: DocumentNode,
  pages: PageRequest[],
): number | undefined {
  try {
    return getComplexity({
      schema: input.schema,
      query: document,
      variables: { ...input.variables },
      maxQueryNodes: MAX_COST_NODES,
      estimators: [
        introspectionEstimator,
        createListEstimator(input.defaultListSize, input.listSizeHints, pages),
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch (error) {
    // A variable that does not coerce is refused by execution (graphql-js and @apollo/gateway
    // both check variables before anything runs); fan-out past the node guard is too costly.
    if (
      error instanceof GraphQLError &&
      error.message.includes('maximum allowed number of nodes')
    ) {
      return Infinity;
    }
    return undefined;
  }
}

// Introspection is gated by role, not by cost: the standard introspection query would otherwise
// cost millions, since every one of its lists is unpaginated.
const introspectionEstimator: ComplexityEstimator = ({ field }) =>
  field.name === '__schema' || field.name === '__type' ? 1 : undefined;

/**
 * A list multiplies the cost of what it selects by its size: the `first`/`last` argument, else a
 * size hint for the field, else the default page size. The `edges` of a Relay connection are
 * not multiplied again: the paginated field above them already was. Page sizes are recorded
 * on the way, with variables and defaults applied, for the page-size limit.
 */
function createListEstimator(
  defaultListSize: number,
  hints: Readonly<Record<string, number>>,
  pages: PageRequest[],
): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const coordinate = `${type.name}.${field.name}`;
    const requested: number[] = [];
    for (const argument of ['first', 'last'] as const) {
      const size: unknown = args[argument];
      if (typeof size !== 'number') continue;
      pages.push({ coordinate, argument, size });
      requested.push(size);
    }
    const paginated = field.args.some((arg) => arg.name === 'first' || arg.name === 'last');
    if (!paginated && !isListType(getNullableType(field.type))) return undefined;
    if (!paginated && type.name.endsWith('Connection')) return undefined;

    const size =
      requested.length > 0 ? Math.max(...requested) : (hints[coordinate] ?? defaultListSize);
    return 1 + childComplexity * Math.max(0, size);
  };
}
