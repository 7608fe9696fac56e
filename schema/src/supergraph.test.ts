import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { composeSupergraph } from './composition.js';
import { SUPERGRAPH_PATH, readSupergraph } from './supergraph-file.js';

test('the subgraphs compose with no error and no hint', async () => {
  const report = await composeSupergraph();
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.hints, []);
});

test('the committed supergraph and subgraph schemas match the code (run npm run compose if not)', async () => {
  const report = await composeSupergraph();
  assert.equal(readSupergraph(), report.supergraphSdl, 'schema/supergraph.graphql is stale');
  for (const [name, sdl] of Object.entries(report.subgraphSdls)) {
    const committed = readFileSync(
      join(SUPERGRAPH_PATH, '..', 'subgraphs', `${name}.graphql`),
      'utf8',
    );
    assert.equal(committed, sdl, `schema/subgraphs/${name}.graphql is stale`);
  }
});

test('the supergraph keeps the names of the public contract', async () => {
  const sdl = readSupergraph();
  for (const field of [
    /modules\(.*filter: ModuleFilter.*\): ModuleConnection!/,
    /module\(code: String!\): Module/,
    /me: Student/,
    /registration\(id: ID!\): Registration/,
  ]) {
    assert.match(sdl.replace(/\s+/g, ' '), field);
  }
  for (const type of ['Module', 'Registration', 'Student', 'Money', 'PageInfo']) {
    assert.match(sdl, new RegExp(`type ${type}\\b`));
  }
});
