import 'reflect-metadata';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildModuleSchema } from '@registrar/module';
import { buildPaymentSchema } from '@registrar/payment';
import { buildRegistrationSchema } from '@registrar/registration';
import { buildStudentSchema } from '@registrar/student';
import { parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';

/** The subgraphs of the supergraph, with the URLs they listen on by default. */
const SUBGRAPHS: ReadonlyArray<{ name: string; url: string; build: () => Promise<GraphQLSchema> }> =
  [
    { name: 'student', url: 'http://127.0.0.1:4001/graphql', build: buildStudentSchema },
    { name: 'module', url: 'http://127.0.0.1:4002/graphql', build: buildModuleSchema },
    { name: 'registration', url: 'http://127.0.0.1:4003/graphql', build: buildRegistrationSchema },
    { name: 'payment', url: 'http://127.0.0.1:4004/graphql', build: buildPaymentSchema },
  ];

/** The outcome of composing every subgraph. */
export interface CompositionReport {
  /** The supergraph SDL, when composition succeeded. */
  supergraphSdl?: string;
  /** Each subgraph's SDL, by name. */
  subgraphSdls: Record<string, string>;
  errors: string[];
  /** Composition hints: each one points at a likely mistake in a subgraph's contract. */
  hints: string[];
}

/** Builds each subgraph's schema from its code and composes the supergraph in-process. */
export async function composeSupergraph(): Promise<CompositionReport> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ name, url, build }) => ({
      name,
      url,
      sdl: printSubgraphSchema(await build()),
    })),
  );
  const result = composeServices(
    services.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  const subgraphSdls = Object.fromEntries(services.map(({ name, sdl }) => [name, sdl]));
  const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) {
    return { subgraphSdls, errors: result.errors.map((error) => error.message), hints };
  }
  return { supergraphSdl: result.supergraphSdl, subgraphSdls, errors: [], hints };
}
