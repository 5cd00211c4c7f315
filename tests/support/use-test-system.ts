import { afterAll, beforeAll } from 'vitest';
import { createCast, type Cast } from './cast';
import { startTestSystem, type TestSystem, type TestSystemOptions } from './test-system';

export interface TestSystemContext {
  /** The running system; read it in tests and hooks (it throws before the system has started). */
  readonly system: TestSystem;
  /** One person per role on that system. */
  readonly cast: Cast;
}

/**
 * Starts a test system and its cast before the tests of the enclosing file or describe block, and stops it
 * after them. Call it at the top level of a file or inside a describe; a beforeAll registered after this call
 * runs once the system and cast are ready.
 */
export function useTestSystem(options: TestSystemOptions | (() => TestSystemOptions) = {}): TestSystemContext {
  let system: TestSystem | undefined;
  let cast: Cast | undefined;
  beforeAll(async () => {
    // A function: options known only once an earlier beforeAll ran (the address of a mail server it started).
    system = await startTestSystem(typeof options === 'function' ? options() : options);
    cast = await createCast(system);
  });
  afterAll(async () => system?.stop());
  return {
    get system() {
      if (!system) throw new Error('useTestSystem: the system is not started yet; read it inside a test or hook.');
      return system;
    },
    get cast() {
      if (!cast) throw new Error('useTestSystem: the cast is not created yet; read it inside a test or hook.');
      return cast;
    },
  };
}
