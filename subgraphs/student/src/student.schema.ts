import { buildFederatedSchema } from '@registrar/platform';
import type { GraphQLSchema } from 'graphql';
import type { StudentContext } from './student.context.js';
import { parseStudentId } from './student-input.js';
import { toStudent } from './student.mapper.js';
import { StudentResolver } from './student.resolver.js';

/** Builds the Student subgraph's schema; it needs no database, so composition can call it. */
export function buildStudentSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema<StudentContext>({
    resolvers: [StudentResolver],
    referenceResolvers: {
      // Other subgraphs point at students (a registration's student); every reference in one
      // `_entities` call shares the request's loader, so they cost one query together. The
      // viewer still decides whether the personal fields show.
      async Student(representation, context) {
        const row = await context.studentById.load(parseStudentId(String(representation['id'])));
        return row ? toStudent(row, context.viewer) : null;
      },
    },
  });
}
