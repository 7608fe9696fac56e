import { Kind, OperationTypeNode, getOperationAST } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';
import type { Viewer } from '../identity.js';
import { allowsViewer, findAccess } from './permissions.js';

// The supergraph keeps GraphQL's default root type names; the rule table is keyed by them.
const ROOT_TYPE_NAMES: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: 'Query',
  [OperationTypeNode.MUTATION]: 'Mutation',
  [OperationTypeNode.SUBSCRIPTION]: 'Subscription',
};

/**
 * Lists the root fields of the selected operation that the viewer's roles can never reach under
 * the supergraph's permissions (the same table the subgraphs enforce), as schema coordinates
 * such as `Query.students`, each once, in document order. Ownership is not considered: a field
 * that the roles allow may still be refused for someone else's row by its resolver.
 *
 * Root fields inside fragments count; `@skip` and `@include` are not evaluated, so a forbidden
 * field that a variable would skip is still listed. Meta fields (`__typename`, `__schema`,
 * `__type`) are left to the introspection setting. Returns an empty list when no operation
 * matches `operationName`: validation reports that, not RBAC.
 */
export function findForbiddenRootFields(
  document: DocumentNode,
  operationName: string | undefined,
  viewer: Viewer,
): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];

  const typeName = ROOT_TYPE_NAMES[operation.operation];
  const fragments = collectFragments(document);
  const forbidden = new Set<string>();
  for (const fieldName of collectRootFieldNames(operation.selectionSet, fragments, new Set())) {
    if (fieldName.startsWith('__')) continue;
    if (!allowsViewer(findAccess(typeName, fieldName), viewer)) {
      forbidden.add(`${typeName}.${fieldName}`);
    }
  }
  return [...forbidden];
}

function collectFragments(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

// `visited` stops a fragment cycle, which validation refuses but this may run on any document.
function collectRootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: Set<string>,
): string[] {
  const names: string[] = [];
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        names.push(selection.name.value);
        break;
      case Kind.INLINE_FRAGMENT:
        names.push(...collectRootFieldNames(selection.selectionSet, fragments, visited));
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visited.has(name)) break;
        visited.add(name);
        names.push(...collectRootFieldNames(fragment.selectionSet, fragments, visited));
        break;
      }
    }
  }
  return names;
}
