import { demoUuid } from './demo-ids.js';

/** The term the embedded demo is seeded for. */
export const DEMO_TERM = 'AUTUMN-2026';
/** The password of every demo account, printed at start and in the README. */
export const DEMO_PASSWORD = 'registrar-demo';
/** How many demo students exist (`s0001` … `s0200`). */
export const DEMO_STUDENT_COUNT = 200;

/** A weekly teaching slot. */
export interface DemoSlot {
  day: 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI';
  start: string;
  end: string;
  room: string;
}

/** One module of the demo catalogue. */
export interface DemoModule {
  code: string;
  title: string;
  description: string;
  department: string;
  credits: number;
  capacity: number;
  feeAmount: number;
  timetable: DemoSlot[];
  prerequisites: string[];
}

/** One demo student (all personal data here is invented). */
export interface DemoStudent {
  id: string;
  studentNumber: string;
  givenName: string;
  familyName: string;
  email: string;
  dateOfBirth: string;
  programme: string;
  yearOfStudy: number;
}

/** A confirmed registration in the demo, consistent with the modules' seat counts. */
export interface DemoRegistration {
  id: string;
  studentId: string;
  moduleCode: string;
  feeAmount: number;
}

const DEPARTMENTS: ReadonlyArray<[prefix: string, department: string, subjects: string[]]> = [
  [
    'COMP',
    'Computer Science',
    [
      'Programming Fundamentals',
      'Data Structures',
      'Databases',
      'Networks',
      'Security Engineering',
      'Machine Learning',
    ],
  ],
  [
    'MATH',
    'Mathematics',
    ['Calculus', 'Linear Algebra', 'Probability', 'Number Theory', 'Topology'],
  ],
  [
    'PHYS',
    'Physics',
    ['Mechanics', 'Electromagnetism', 'Quantum Physics', 'Astrophysics Field Observatory'],
  ],
  [
    'CHEM',
    'Chemistry',
    ['Organic Chemistry', 'Physical Chemistry', 'Laboratory Methods', 'Analytical Chemistry'],
  ],
  ['BIOL', 'Biology', ['Cell Biology', 'Genetics', 'Ecology Field Course', 'Microbiology']],
  [
    'HIST',
    'History',
    ['Medieval Europe', 'Modern World History', 'Archive Research Trip', 'History of Science'],
  ],
  [
    'ECON',
    'Economics',
    ['Microeconomics', 'Macroeconomics', 'Econometrics', 'Behavioural Economics'],
  ],
  ['LAW', 'Law', ['Contract Law', 'Criminal Law', 'Public Law', 'Moot Court Practice']],
  [
    'PSYC',
    'Psychology',
    ['Cognitive Psychology', 'Research Methods', 'Social Psychology', 'Developmental Psychology'],
  ],
  [
    'ENGL',
    'English',
    ['Shakespeare', 'Creative Writing Workshop', 'Modern Poetry', 'Literary Theory'],
  ],
  [
    'MUSC',
    'Music',
    ['Harmony and Counterpoint', 'Orchestral Studies', 'Studio Recording Residency'],
  ],
];

const DAYS: DemoSlot['day'][] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const STARTS = ['09:00', '11:00', '14:00', '16:00'];
const PAID_KEYWORDS = [
  'Field',
  'Trip',
  'Residency',
  'Laboratory',
  'Moot',
  'Workshop',
  'Observatory',
];

/**
 * The demo catalogue: 46 modules across 11 departments. Modules with a field trip, laboratory or
 * residency carry a fee; every fourth module has a small capacity (10 to 30) so that a
 * registration rush can be tried.
 */
export function demoModules(): DemoModule[] {
  const modules: DemoModule[] = [];
  DEPARTMENTS.forEach(([prefix, department, subjects], d) => {
    subjects.forEach((subject, s) => {
      const index = modules.length;
      // Level in the first digit, then a sequence: COMP1001, COMP1002, COMP2001, ...
      const code = `${prefix}${Math.floor(s / 2) + 1}${String((s % 2) + 1).padStart(3, '0')}`;
      const paid = PAID_KEYWORDS.some((keyword) => subject.includes(keyword));
      modules.push({
        code,
        title: subject,
        description: `${subject}, taught by the Department of ${department}. Weekly lectures and a seminar.`,
        department,
        credits: s % 3 === 2 ? 30 : 15,
        capacity: index % 4 === 1 ? 10 + (index % 3) * 10 : 60 + (index % 5) * 20,
        feeAmount: paid ? 15_000 + (index % 3) * 5_000 : 0,
        timetable: [
          {
            day: DAYS[(d + s) % 5]!,
            start: STARTS[s % 4]!,
            end: addHours(STARTS[s % 4]!, 2),
            room: `${prefix}-${100 + s}`,
          },
          {
            day: DAYS[(d + s + 2) % 5]!,
            start: STARTS[(s + 1) % 4]!,
            end: addHours(STARTS[(s + 1) % 4]!, 1),
            room: `${prefix}-${200 + s}`,
          },
        ],
        prerequisites: s >= 2 ? [`${prefix}${1001}`] : [],
      });
    });
  });
  return modules;
}

const GIVEN = [
  'Amara',
  'Ben',
  'Chloé',
  'Dev',
  'Emeka',
  'Freya',
  'Gus',
  'Hana',
  'Ivan',
  'Jia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tom',
];
const FAMILY = [
  'Okafor',
  'Smith',
  'Nguyen',
  'Patel',
  'García',
  'Kowalski',
  'Haddad',
  'Müller',
  'Tanaka',
  'Brown',
];
const PROGRAMMES = [
  'BSc Computer Science',
  'BSc Mathematics',
  'BA History',
  'LLB Law',
  'BSc Psychology',
  'BA Economics',
];

/** The 200 demo students, `s0001` … `s0200`. */
export function demoStudents(): DemoStudent[] {
  return Array.from({ length: DEMO_STUDENT_COUNT }, (_, i) => {
    const number = `s${String(i + 1).padStart(4, '0')}`;
    const givenName = GIVEN[i % GIVEN.length]!;
    const familyName = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
    return {
      id: demoUuid(`student:${number}`),
      studentNumber: number,
      givenName,
      familyName,
      email: `${number}@students.registrar.test`,
      dateOfBirth: `${2000 + (i % 7)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      programme: PROGRAMMES[i % PROGRAMMES.length]!,
      yearOfStudy: (i % 3) + 1,
    };
  });
}

/**
 * Confirmed registrations already in the demo: each of the first 60 students holds two
 * entry-level modules, so that "my registrations" and seat counts have something to show.
 */
export function demoRegistrations(): DemoRegistration[] {
  const entryModules = demoModules().filter(
    (m) => m.prerequisites.length === 0 && m.capacity >= 60,
  );
  return demoStudents()
    .slice(0, 60)
    .flatMap((student, i) =>
      [entryModules[i % entryModules.length]!, entryModules[(i + 3) % entryModules.length]!].map(
        (module) => ({
          id: demoUuid(`registration:${student.studentNumber}:${module.code}`),
          studentId: student.id,
          moduleCode: module.code,
          feeAmount: module.feeAmount,
        }),
      ),
    );
}

function addHours(time: string, hours: number): string {
  const [h, m] = time.split(':');
  return `${String(Number(h) + hours).padStart(2, '0')}:${m}`;
}
