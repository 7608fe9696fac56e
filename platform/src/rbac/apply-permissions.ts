import { isIntrospectionType, isObjectType } from 'graphql';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import { createError } from '../errors.js';
import type { Viewer } from '../identity.js';
import { PERMISSIONS, allowsViewer } from './permissions.js';
import type { Access } from './permissions.js';

/** A shield rule for one field: `allow` for public fields, a role rule for the others. */
type FieldRule = IRule | typeof allow;

/** The shield rule tree of one schema: rules by type name, then by field name or `*`. */
export type SchemaRules = Record<string, Record<string, FieldRule>>;

/** What the rules read from the request context; every subgraph context has it. */
interface ViewerContext {
  viewer: Viewer;
}

/**
 * Builds the shield rule tree of one schema from {@link PERMISSIONS}, keeping only the types and
 * fields that this schema has: shield refuses a rule for a type or field it cannot find, and
 * each subgraph serves only part of the supergraph. Types of the schema without any entry get no
 * rules, so shield's fallback denies every field of them.
 */
export function rulesFor(schema: GraphQLSchema): SchemaRules {
  const rules: SchemaRules = {};
  // One rule per distinct role list: shield refuses two different rules with one name, and the
  // contextual cache then answers each role list once per request instead of once per field.
  const ruleByRoles = new Map<string, IRule>();

  for (const [key, access] of Object.entries(PERMISSIONS)) {
    const [typeName = '', fieldName = ''] = key.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    if (fieldName !== '*' && !Object.hasOwn(type.getFields(), fieldName)) continue;

    rules[typeName] ??= {};
    rules[typeName][fieldName] = ruleFor(access, ruleByRoles);
  }
  return rules;
}

/**
 * Wraps every resolver of the schema in the supergraph's permissions (graphql-shield over
 * graphql-middleware) and returns the new schema; the given one is left as it was.
 *
 * Denied by default: a field without a rule is refused with FORBIDDEN. Anonymous callers refused
 * by a role rule get UNAUTHENTICATED, so that a client knows to sign in. The resolvers' own typed
 * errors (NOT_FOUND, BAD_USER_INPUT, ownership refusals) pass through unchanged.
 */
export function applyPermissions(schema: GraphQLSchema): GraphQLSchema {
  const permissions = shield(rulesFor(schema), {
    fallbackRule: deny,
    fallbackError: refuseField,
    allowExternalErrors: true,
    // Debug mode rethrows the rules' own failures with their internals; the boundary must see
    // only a refusal.
    debug: false,
  });
  return applyMiddleware(schema, permissions);
}

function ruleFor(access: Access, ruleByRoles: Map<string, IRule>): FieldRule {
  if (access === 'public') return allow;

  const name = `roles:${[...access].sort().join('+')}`;
  let roleRule = ruleByRoles.get(name);
  if (!roleRule) {
    roleRule = createRoleRule(name, access);
    ruleByRoles.set(name, roleRule);
  }
  return roleRule;
}

function createRoleRule(name: string, access: Access): IRule {
  // The answer depends only on the viewer, which is fixed for the request.
  return rule(name, { cache: 'contextual' })((_parent, _args, context: ViewerContext) => {
    if (allowsViewer(access, context.viewer)) return true;
    if (context.viewer.kind === 'anonymous') {
      // Cached for every field of this rule, so the message names no field.
      return createError(
        'UNAUTHENTICATED',
        'Sign in to see or do this: only the module catalogue is open without an account.',
      );
    }
    return false;
  });
}

// A new error per refusal: one shared instance would be shared by every request too.
function refuseField(
  _error: unknown,
  _parent: object,
  _args: object,
  _context: object,
  info: GraphQLResolveInfo,
): Error {
  return createError(
    'FORBIDDEN',
    `Your account may not use ${info.parentType.name}.${info.fieldName}. Sign in with an ` +
      'account that may, or ask the registry office for access.',
  );
}
