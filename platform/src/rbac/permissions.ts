import { hasRole } from '../identity.js';
import type { Role, Viewer } from '../identity.js';

/**
 * Who may resolve a field: `'public'` for anyone (anonymous callers included), otherwise the
 * roles of which the viewer must hold at least one. Ownership ("is this row the viewer's own")
 * is not expressed here: it needs the row, so the resolvers check it.
 */
export type Access = 'public' | readonly Role[];

/** A key of {@link PERMISSIONS}: `Type.field`, or `Type.*` for the type's other fields. */
export type PermissionKey = `${string}.${string}`;

/** Anyone, signed in or not: the catalogue and the federation plumbing. */
const PUBLIC = 'public';
/**
 * Every role that acts for a person of the university. Partners are left out on purpose: a third
 * party reaches only the catalogue and the fields that name `partner` themselves.
 */
const MEMBERS: readonly Role[] = ['student', 'finance', 'staff', 'admin'];
/** The registry office, which sees every record. */
const REGISTRY: readonly Role[] = ['staff', 'admin'];
/** Who may act on a registration: the student, or the registry on their behalf. */
const REGISTRANTS: readonly Role[] = ['student', 'staff', 'admin'];
/**
 * Who may read a payment at all: the paying student (the resolvers limit a student to their own)
 * and the finance office. Registry staff see whether a registration is paid from its status.
 */
const PAYMENT_READERS: readonly Role[] = ['student', 'finance'];

/**
 * The one rule set of the supergraph, by schema coordinate. Every subgraph enforces the rules of
 * the fields it serves (see `applyPermissions`), and the gateway refuses root fields that a
 * viewer's roles can never reach (see `findForbiddenRootFields`). A field with no rule here, and
 * no `Type.*` for its type, is denied to everyone.
 *
 * `Type.*` is used only where every field of the type is as open as the field that leads to it
 * (page wrappers, plain values); types that hold personal data list each field, so that a new
 * field stays closed until someone decides who may see it.
 */
export const PERMISSIONS: Readonly<Record<PermissionKey, Access>> = {
  // Federation: the subgraph server already demands the gateway's signed identity, and the
  // gateway's API schema does not expose these fields to clients. Anonymous catalogue reads
  // need `_entities` (a module's waitlist length lives in another subgraph).
  'Query._entities': PUBLIC,
  'Query._service': PUBLIC,
  '_Service.*': PUBLIC,

  // The catalogue is public (DESIGN.md, "The public contract").
  'Query.modules': PUBLIC,
  'Query.module': PUBLIC,
  'ModuleConnection.*': PUBLIC,
  'ModuleEdge.*': PUBLIC,
  'PageInfo.*': PUBLIC,
  'Money.*': PUBLIC,
  'TimetableSlot.*': PUBLIC,
  'Module.code': PUBLIC,
  'Module.title': PUBLIC,
  'Module.description': PUBLIC,
  'Module.department': PUBLIC,
  'Module.credits': PUBLIC,
  'Module.term': PUBLIC,
  'Module.capacity': PUBLIC,
  'Module.seatsAvailable': PUBLIC,
  'Module.fee': PUBLIC,
  'Module.timetable': PUBLIC,
  'Module.prerequisites': PUBLIC,
  'Module.registrationOpensAt': PUBLIC,
  'Module.registrationClosesAt': PUBLIC,
  'Module.registrationOpen': PUBLIC,
  'Module.waitlistLength': PUBLIC,
  'Module.registrations': REGISTRY,
  'Mutation.updateModuleCapacity': REGISTRY,

  // Student records: the resolvers limit a student to their own record and mask the personal
  // fields of anyone else's; partners never reach a student at all.
  'Query.me': MEMBERS,
  'Query.student': MEMBERS,
  'Query.studentByNumber': MEMBERS,
  'Query.students': REGISTRY,
  'StudentConnection.*': REGISTRY,
  'StudentEdge.*': REGISTRY,
  'Student.id': MEMBERS,
  'Student.studentNumber': MEMBERS,
  'Student.name': MEMBERS,
  'Student.email': MEMBERS,
  'Student.dateOfBirth': MEMBERS,
  'Student.programme': MEMBERS,
  'Student.yearOfStudy': MEMBERS,
  'Student.status': MEMBERS,
  'Student.registrations': MEMBERS,

  // Registrations: the resolvers limit a student to their own.
  'Query.registration': MEMBERS,
  'Query.myRegistrations': ['student'],
  'Query.registrations': REGISTRY,
  'RegistrationConnection.*': REGISTRY,
  'RegistrationEdge.*': REGISTRY,
  'Registration.*': MEMBERS,
  'Registration.payment': PAYMENT_READERS,
  'RegistrationHistoryEntry.*': MEMBERS,
  'Mutation.registerForModule': REGISTRANTS,
  'Mutation.dropModule': REGISTRANTS,
  // Why a registration is stuck: the saga's trail, for registry staff.
  'Registration.sagaSteps': REGISTRY,
  'SagaStepEntry.*': REGISTRY,
  // Holds: the resolver lets finance manage fee holds and registry staff administrative ones.
  'Mutation.placeStudentHold': ['staff', 'finance', 'admin'],
  'Mutation.releaseStudentHolds': ['staff', 'finance', 'admin'],

  // Payments: the resolvers limit a student to their own.
  'Query.payment': PAYMENT_READERS,
  'Payment.id': PAYMENT_READERS,
  'Payment.amount': PAYMENT_READERS,
  'Payment.status': PAYMENT_READERS,
  'Payment.provider': PAYMENT_READERS,
  'Payment.providerReference': PAYMENT_READERS,
  // The means to pay go to the paying student only (the resolver checks ownership); no office
  // role needs them.
  'Payment.clientSecret': ['student'],
  'Payment.confirmationToken': ['student'],
  'Payment.createdAt': PAYMENT_READERS,
  'Payment.updatedAt': PAYMENT_READERS,
};

/**
 * Returns the rule of one field: its own entry, else its type's `Type.*`, else `undefined`
 * (which every enforcement point treats as a denial).
 */
export function findAccess(typeName: string, fieldName: string): Access | undefined {
  return lookUp(`${typeName}.${fieldName}`) ?? lookUp(`${typeName}.*`);
}

/**
 * Tells whether a rule lets this viewer through on their roles alone; ownership checks in the
 * resolvers may still refuse. No rule (`undefined`) lets nobody through.
 */
export function allowsViewer(access: Access | undefined, viewer: Viewer): boolean {
  if (access === undefined) return false;
  return access === PUBLIC || hasRole(viewer, ...access);
}

// Own keys only: a coordinate must never resolve to something inherited from Object.prototype.
function lookUp(key: PermissionKey): Access | undefined {
  return Object.hasOwn(PERMISSIONS, key) ? PERMISSIONS[key] : undefined;
}
