import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IDENTITY_HEADER, generateIdentityKeys, signIdentity } from '@registrar/platform';
import { postGraphQL, startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const SUBGRAPHS = ['student', 'module', 'registration', 'payment'] as const;

describe('subgraphs trust only the gateway', () => {
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
  });
  after(() => t.stop());

  for (const name of SUBGRAPHS) {
    test(`the ${name} subgraph refuses _service, _entities and queries without the gateway's identity`, async () => {
      const url = t.system.subgraphs[name].url;
      for (const query of [
        '{ _service { sdl } }',
        '{ _entities(representations: [{ __typename: "Student", id: "0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f" }]) { __typename } }',
        '{ __typename }',
      ]) {
        const response = await postGraphQL(url, query);
        assert.equal(response.status, 401);
        assert.equal(response.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
        assert.equal(response.data, undefined);
      }
    });

    test(`the ${name} subgraph refuses an identity signed by any key but the gateway's`, async () => {
      const forger = await generateIdentityKeys();
      const forged = await signIdentity(
        { kind: 'user', subject: 'admin1', roles: ['admin'], sessionId: 'forged' },
        forger.privateKey,
      );
      const response = await postGraphQL(
        t.system.subgraphs[name].url,
        '{ _service { sdl } }',
        {},
        undefined,
        {
          [IDENTITY_HEADER]: forged,
        },
      );
      assert.equal(response.status, 401);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
    });
  }

  test("an identity signed by the gateway's key is accepted, so the refusals above are about the signer", async () => {
    const token = await signIdentity({ kind: 'anonymous' }, t.system.identityKeys.privateKey);
    const response = await postGraphQL<{ _service: { sdl: string } }>(
      t.system.subgraphs.module.url,
      '{ _service { sdl } }',
      {},
      undefined,
      { [IDENTITY_HEADER]: token },
    );
    assert.equal(response.status, 200);
    assert.match(response.data!._service.sdl, /type Module/);
  });
});
