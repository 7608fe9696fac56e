import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isIntrospectionType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import {
  IDENTITY_HEADER,
  PERMISSIONS,
  applyPermissions,
  demoRegistrations,
  demoStudents,
  demoUuid,
  findAccess,
  signIdentity,
} from '@registrar/platform';
import type { PermissionKey, Role, Viewer } from '@registrar/platform';
// The subgraph packages are linked by the workspace; only this coverage check needs them here.
import { buildModuleSchema } from '@registrar/module';
import { buildPaymentSchema } from '@registrar/payment';
import { buildRegistrationSchema } from '@registrar/registration';
import { buildStudentSchema } from '@registrar/student';
import { postGraphQL, startTestSystem } from './support/test-system.js';
import type { GraphQLResponse, TestSystem } from './support/test-system.js';

type SubgraphName = 'student' | 'module' | 'registration' | 'payment';

/** Every `Type.field` each subgraph serves, federation internals (`_entities`, `_Service`) aside. */
async function servedCoordinates(): Promise<Map<SubgraphName, string[]>> {
  const schemas: Record<SubgraphName, GraphQLSchema> = {
    student: await buildStudentSchema(),
    module: await buildModuleSchema(),
    registration: await buildRegistrationSchema(),
    payment: await buildPaymentSchema(),
  };
  const served = new Map<SubgraphName, string[]>();
  for (const [name, schema] of Object.entries(schemas) as Array<[SubgraphName, GraphQLSchema]>) {
    assert.doesNotThrow(() => applyPermissions(schema), `${name} rejects its slice of the table`);
    const types = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !isIntrospectionType(type) && !type.name.startsWith('_'));
    served.set(
      name,
      types.flatMap((type) =>
        Object.keys(type.getFields())
          .filter((field) => !field.startsWith('_'))
          .map((field) => `${type.name}.${field}`),
      ),
    );
  }
  return served;
}

describe('the permission table and the subgraph schemas', () => {
  let served: Map<SubgraphName, string[]>;
  before(async () => {
    served = await servedCoordinates();
  });

  test('every field of every subgraph has an explicit rule, so none is denied by the fallback by accident', () => {
    const uncovered = [...served].flatMap(([name, coordinates]) =>
      coordinates
        .filter(
          (coordinate) => findAccess(...(coordinate.split('.') as [string, string])) === undefined,
        )
        .map((coordinate) => `${coordinate} (${name})`),
    );
    assert.deepEqual(uncovered, [], 'add these to platform/src/rbac/permissions.ts');
  });

  test('the table names no type or field that no subgraph serves, so no rule goes stale', () => {
    const coordinates = new Set([...served.values()].flat());
    const typeNames = new Set([...coordinates].map((coordinate) => coordinate.split('.')[0]));
    const federation = ['Query._entities', 'Query._service', '_Service.*'];
    const stale = (Object.keys(PERMISSIONS) as PermissionKey[]).filter((key) => {
      if (federation.includes(key)) return false;
      const [typeName] = key.split('.');
      return key.endsWith('.*') ? !typeNames.has(typeName) : !coordinates.has(key);
    });
    assert.deepEqual(stale, [], 'remove these stale rules from platform/src/rbac/permissions.ts');
  });
});

describe('role-based access through the gateway and at each subgraph', () => {
  let t: TestSystem;
  const ownRegistration = demoRegistrations()[0]!;
  const owner = demoStudents().find((s) => s.id === ownRegistration.studentId)!;
  const intruder = demoStudents().find((s) => s.id !== owner.id)!;
  const paidRegistration = demoRegistrations().find((r) => r.feeAmount > 0)!;
  const moduleCode = ownRegistration.moduleCode;

  before(async () => {
    t = await startTestSystem();
  });
  after(() => t.stop());

  function signInAs(roles: Role[], student?: { studentNumber: string; id: string }) {
    const subject = student?.studentNumber ?? `${roles.join('-')}1`;
    return t.signIn({ subject, roles, ...(student ? { studentId: student.id } : {}) });
  }

  // Calls a subgraph as the gateway would, bypassing every check the gateway makes itself.
  async function callSubgraph(name: SubgraphName, query: string, viewer: Viewer) {
    const identity = await signIdentity(viewer, t.system.identityKeys.privateKey);
    return postGraphQL<Record<string, any>>(t.system.subgraphs[name].url, query, {}, undefined, {
      [IDENTITY_HEADER]: identity,
    });
  }

  function viewerWith(roles: Role[], studentId?: string): Viewer {
    return {
      kind: 'user',
      subject: 'direct-caller',
      roles,
      sessionId: 'direct-call',
      ...(studentId ? { studentId } : {}),
    };
  }

  function assertRefused(response: GraphQLResponse, code: string, path: Array<string | number>) {
    // A root field the caller's roles can never use is refused by the gateway before planning
    // (the whole operation, naming the field in `fields`); deeper fields by the subgraph's shield.
    const atGateway = response.errors?.find((e) =>
      (e.extensions?.['fields'] as string[] | undefined)?.some((f) => f.endsWith(`.${path[0]}`)),
    );
    const error =
      atGateway ?? response.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
    assert.ok(error, `no error at ${path.join('.')}: ${JSON.stringify(response.errors)}`);
    assert.equal(error.extensions?.['code'], code);
    // Nothing of the machinery may leak: no stack, no library name, no rule or role names. The
    // gateway adds the subgraph's name, which the supergraph already makes public.
    const extensions = Object.keys(error.extensions ?? {}).filter(
      (key) => !['serviceName', 'fields'].includes(key),
    );
    assert.deepEqual(extensions, ['code']);
    assert.doesNotMatch(
      error.message,
      /shield|middleware|Not Authori[sz]ed|roles?:|\.js\b|\n\s+at /i,
    );
  }

  test("a student reading another student's registration is refused, while their own is served", async () => {
    const query = 'query ($id: ID!) { registration(id: $id) { id status } }';
    const variables = { id: ownRegistration.id };

    const own = await t.graphql(query, variables, await signInAs(['student'], owner));
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.equal(own.data!['registration'].id, ownRegistration.id);

    const other = await t.graphql(query, variables, await signInAs(['student'], intruder));
    assertRefused(other, 'FORBIDDEN', ['registration']);
    assert.equal(other.data?.['registration'] ?? null, null);
  });

  test("a partner cannot read a student's e-mail, through the gateway or at the student subgraph", async () => {
    const viaGateway = await t.graphql(
      'query ($id: ID!) { student(id: $id) { email } }',
      { id: owner.id },
      await signInAs(['partner']),
    );
    assertRefused(viaGateway, 'FORBIDDEN', ['student']);

    const entities = `{ _entities(representations: [{ __typename: "Student", id: "${owner.id}" }]) {
      ... on Student { email dateOfBirth } } }`;
    const direct = await callSubgraph('student', entities, viewerWith(['partner']));
    assertRefused(direct, 'FORBIDDEN', ['_entities', 0, 'email']);
    assertRefused(direct, 'FORBIDDEN', ['_entities', 0, 'dateOfBirth']);

    const asStaff = await callSubgraph('student', entities, viewerWith(['staff']));
    assert.equal(asStaff.errors, undefined, JSON.stringify(asStaff.errors));
    assert.equal(asStaff.data!['_entities'][0].email, owner.email);
  });

  test('an anonymous caller cannot list students and is told to sign in', async () => {
    const response = await t.graphql('{ students { totalCount } }');
    assertRefused(response, 'UNAUTHENTICATED', ['students']);
  });

  test("finance can read a payment's amount but cannot list registrations", async () => {
    const finance = await signInAs(['finance']);
    const payment = await t.graphql(
      'query ($id: ID!) { payment(id: $id) { amount { amount currency } } }',
      { id: demoUuid(`payment:${paidRegistration.id}`) },
      finance,
    );
    assert.equal(payment.errors, undefined, JSON.stringify(payment.errors));
    assert.equal(payment.data!['payment'].amount.amount, paidRegistration.feeAmount);

    const list = await t.graphql(
      '{ registrations(first: 1) { edges { node { id } } } }',
      {},
      finance,
    );
    assertRefused(list, 'FORBIDDEN', ['registrations']);
  });

  test("a student's valid identity sent straight to the student subgraph cannot list students", async () => {
    const response = await callSubgraph(
      'student',
      '{ students { totalCount edges { node { email } } } }',
      viewerWith(['student'], owner.id),
    );
    assert.equal(response.status, 200);
    assertRefused(response, 'FORBIDDEN', ['students']);
    assert.equal(response.data, null);
  });

  test("a student's valid identity sent straight to the registration subgraph cannot read a module's registrations through _entities", async () => {
    const response = await callSubgraph(
      'registration',
      `{ _entities(representations: [{ __typename: "Module", code: "${moduleCode}" }]) {
        ... on Module { waitlistLength registrations { id } } } }`,
      viewerWith(['student'], owner.id),
    );
    assertRefused(response, 'FORBIDDEN', ['_entities', 0, 'registrations']);
  });

  test("staff list students and registrations and read a module's registrations", async () => {
    const response = await t.graphql(
      `query ($code: String!) {
        students(first: 2) { totalCount edges { node { studentNumber email } } }
        registrations(first: 1) { edges { node { id student { id } } } }
        module(code: $code) { code waitlistLength registrations { id } }
      }`,
      { code: moduleCode },
      await signInAs(['staff']),
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const data = response.data!;
    assert.equal(data['students'].totalCount, demoStudents().length);
    assert.ok(data['students'].edges.every((edge: any) => edge.node.email));
    assert.equal(data['registrations'].edges.length, 1);
    // At least the seeded ones: with real services, other test files may have registered since.
    assert.ok(
      data['module'].registrations.length >=
        demoRegistrations().filter((r) => r.moduleCode === moduleCode).length,
    );
  });
});
