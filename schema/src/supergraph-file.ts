import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the committed, composed supergraph lives. */
export const SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

/** Reads the committed supergraph SDL that the gateway serves. */
export function readSupergraph(path: string = SUPERGRAPH_PATH): string {
  return readFileSync(path, 'utf8');
}
