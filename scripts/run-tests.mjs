// Runs every compiled test file with node's test runner, one file at a time: whole-system
// tests share real databases in CI, and the machines have two cores.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = [
  'platform',
  'events',
  'subgraphs/student',
  'subgraphs/module',
  'subgraphs/registration',
  'subgraphs/payment',
  'gateway',
  'schema',
  'system',
  'test',
];
const filter = process.argv.slice(2);

function findTests(dir) {
  let found = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const files = workspaces
  .flatMap((workspace) => findTests(join(root, workspace, 'dist')))
  .map((path) => relative(root, path))
  .filter((path) => filter.length === 0 || filter.some((part) => path.includes(part)))
  .sort();

if (files.length === 0) {
  console.error('No compiled test files found; run `npm run build` first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
