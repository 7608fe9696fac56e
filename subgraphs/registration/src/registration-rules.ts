import type { EntityManager } from 'typeorm';

/** A rule a registration must pass. */
export type RegistrationRule =
  | 'REGISTRATION_WINDOW_CLOSED'
  | 'STUDENT_HOLD'
  | 'PREREQUISITE_MISSING'
  | 'TIMETABLE_CLASH'
  | 'CREDIT_CAP_EXCEEDED';

/** Rules that registry staff may waive for one student and one registration. */
export type OverridableRule = 'PREREQUISITE' | 'TIMETABLE_CLASH' | 'CAPACITY';

/** One failed rule, with a sentence that says what failed and why. */
export interface RuleViolation {
  rule: RegistrationRule;
  message: string;
}

/** The module offering a rule check looks at. */
export interface Offering {
  code: string;
  term: string;
  credits: number;
  timetable: Array<{ day: string; start: string; end: string }>;
  prerequisites: string[];
  opens: Date;
  closes: Date;
}

/** Settings of the rules. */
export interface RuleSettings {
  /** The most credits a student may hold in one term. @default 60 */
  creditCap: number;
}

const OVERRIDE_OF: Partial<Record<RegistrationRule, OverridableRule>> = {
  PREREQUISITE_MISSING: 'PREREQUISITE',
  TIMETABLE_CLASH: 'TIMETABLE_CLASH',
};

/**
 * Checks every registration rule for a student and an offering and returns all that fail, not
 * only the first, so a student sees at once everything that stands in the way. Rules that staff
 * overrode are skipped. `exceptRegistrationId` leaves a registration out of the student's load
 * (when re-checking a waitlisted one on promotion).
 */
export async function checkRegistrationRules(
  manager: EntityManager,
  studentId: string,
  offering: Offering,
  options: {
    settings: RuleSettings;
    overrides?: readonly OverridableRule[];
    exceptRegistrationId?: string;
    now?: Date;
  },
): Promise<RuleViolation[]> {
  const now = options.now ?? new Date();
  const violations: RuleViolation[] = [];
  if (now < offering.opens || now >= offering.closes) {
    const when =
      now < offering.opens
        ? `opens on ${offering.opens.toISOString()}`
        : `closed on ${offering.closes.toISOString()}`;
    violations.push({
      rule: 'REGISTRATION_WINDOW_CLOSED',
      message: `Registration for ${offering.code} ${when}.`,
    });
  }
  violations.push(...(await checkHolds(manager, studentId)));
  violations.push(...(await checkPrerequisites(manager, studentId, offering)));
  const load = await loadTermRegistrations(
    manager,
    studentId,
    offering.term,
    options.exceptRegistrationId,
  );
  violations.push(...checkClashes(offering, load));
  violations.push(...checkCreditCap(offering, load, options.settings.creditCap));
  const overridden = new Set(options.overrides ?? []);
  return violations.filter((v) => !overridden.has(OVERRIDE_OF[v.rule] as OverridableRule));
}

async function checkHolds(manager: EntityManager, studentId: string): Promise<RuleViolation[]> {
  const holds: Array<{ kind: string }> = await manager.query(
    `SELECT kind FROM student_holds WHERE student_id = $1 AND released_at IS NULL`,
    [studentId],
  );
  return holds.map((hold) => ({
    rule: 'STUDENT_HOLD' as const,
    message:
      hold.kind === 'UNPAID_FEES'
        ? 'Your account has a hold for unpaid fees. Contact the finance office to clear it.'
        : 'Your account has an administrative hold. Contact the registry to clear it.',
  }));
}

async function checkPrerequisites(
  manager: EntityManager,
  studentId: string,
  offering: Offering,
): Promise<RuleViolation[]> {
  if (offering.prerequisites.length === 0) return [];
  const passed: Array<{ code: string }> = await manager.query(
    `SELECT DISTINCT module_code AS code FROM completed_modules WHERE student_id = $1 AND passed AND module_code = ANY($2)`,
    [studentId, offering.prerequisites],
  );
  const have = new Set(passed.map((row) => row.code));
  const missing = offering.prerequisites.filter((code) => !have.has(code));
  if (missing.length === 0) return [];
  return [
    {
      rule: 'PREREQUISITE_MISSING',
      message: `${offering.code} needs ${missing.join(', ')} passed first, and your record does not show ${missing.length > 1 ? 'them' : 'it'}.`,
    },
  ];
}

interface TermRegistration {
  code: string;
  status: string;
  credits: number;
  timetable: Offering['timetable'];
}

async function loadTermRegistrations(
  manager: EntityManager,
  studentId: string,
  term: string,
  except?: string,
): Promise<TermRegistration[]> {
  return manager.query(
    `SELECT r.module_code AS code, r.status, o.credits, o.timetable
     FROM registrations r JOIN module_offerings o ON o.code = r.module_code
     WHERE r.student_id = $1 AND r.term = $2 AND r.id IS DISTINCT FROM $3
       AND r.status IN ('PENDING','WAITLISTED','AWAITING_PAYMENT','CONFIRMED')`,
    [studentId, term, except ?? null],
  );
}

// Only confirmed modules fix a student's week; a pending or waitlisted one may never happen.
function checkClashes(offering: Offering, load: TermRegistration[]): RuleViolation[] {
  const clashes = load
    .filter((r) => r.status === 'CONFIRMED' && r.code !== offering.code)
    .flatMap((r) =>
      r.timetable
        .flatMap((taken) =>
          offering.timetable
            .filter((wanted) => overlaps(taken, wanted))
            .map((wanted) => ({ code: r.code, slot: wanted })),
        )
        .slice(0, 1),
    );
  return clashes.map(({ code, slot }) => ({
    rule: 'TIMETABLE_CLASH' as const,
    message: `${offering.code} on ${slot.day} ${slot.start}–${slot.end} clashes with ${code}, which you are registered on.`,
  }));
}

function checkCreditCap(
  offering: Offering,
  load: TermRegistration[],
  cap: number,
): RuleViolation[] {
  const held = load.filter((r) => r.code !== offering.code).reduce((sum, r) => sum + r.credits, 0);
  if (held + offering.credits <= cap) return [];
  return [
    {
      rule: 'CREDIT_CAP_EXCEEDED',
      message: `${offering.code} (${offering.credits} credits) would take you to ${held + offering.credits} credits this term; the limit is ${cap}.`,
    },
  ];
}

function overlaps(
  a: { day: string; start: string; end: string },
  b: { day: string; start: string; end: string },
): boolean {
  return a.day === b.day && a.start < b.end && b.start < a.end;
}
