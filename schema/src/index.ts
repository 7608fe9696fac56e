// Only the committed artefacts: importing this never loads subgraph code.
export { SUPERGRAPH_PATH, readSupergraph } from './supergraph-file.js';
