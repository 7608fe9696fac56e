import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph } from './composition.js';
import { SUPERGRAPH_PATH } from './supergraph-file.js';

// `npm run compose`: writes schema/supergraph.graphql and each subgraph's SDL beside it.
// `npm run compose -- --check`: exits 1 when the committed files differ from a fresh composition.
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const report = await composeSupergraph();
  for (const hint of report.hints) process.stderr.write(`hint: ${hint}\n`);
  if (!report.supergraphSdl) {
    process.stderr.write(`Composition failed:\n${report.errors.map((e) => `  ${e}`).join('\n')}\n`);
    process.exit(1);
  }
  const files: Record<string, string> = { [SUPERGRAPH_PATH]: report.supergraphSdl };
  for (const [name, sdl] of Object.entries(report.subgraphSdls)) {
    files[join(SUPERGRAPH_PATH, '..', 'subgraphs', `${name}.graphql`)] = sdl;
  }
  if (check) {
    const stale = Object.entries(files).filter(([path, text]) => readOrEmpty(path) !== text);
    stale.forEach(([path]) => process.stderr.write(`stale: ${path} (run npm run compose)\n`));
    process.exit(stale.length > 0 || report.hints.length > 0 ? 1 : 0);
  }
  mkdirSync(join(SUPERGRAPH_PATH, '..', 'subgraphs'), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(path, text);
  process.stdout.write(
    `composed ${Object.keys(report.subgraphSdls).length} subgraphs into ${SUPERGRAPH_PATH}\n`,
  );
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

void main();
