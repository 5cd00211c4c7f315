import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest on two cores (vitest, 2026-12-07), started first, so that none of them ends the run
 * alone while the others wait. Vitest orders by the durations it cached from the last run — which a fresh clone,
 * CI's, does not have: there, without this list, the run took 203 s instead of 162 s.
 */
const SLOWEST_FIRST = [
  'tests/chaos/chaos.test.ts',
  'tests/property/bad-input.property.test.ts',
  'tests/dashboard/dashboard.test.ts',
  'tests/dashboard/walk.test.ts',
  'tests/dashboard/sign-in.test.ts',
  'tests/launcher/npm-start.test.ts',
  'tests/api/review-procedures.test.ts',
  'tests/launcher/start-failures.test.ts',
  'tests/api/notifications.test.ts',
  'tests/workflows/continue-as-new.test.ts',
  'tests/launcher/separate-processes.test.ts',
  'tests/api/terminal-paths.test.ts',
  'tests/activities/record-event.test.ts',
  'tests/lint/workflow-sandbox-lint.test.ts',
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOWEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    // The rest as vitest orders them (by cached duration, or by size without a cache).
    return ordered
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}
