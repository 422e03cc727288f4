/**
 * Runs a handler so that a failure is logged and answered with a fallback instead of taking the
 * server down: one bad file or one bug must never cost the user every other diagnostic.
 */
export function runSafe<T>(log: (message: string) => void, fn: () => T | Promise<T>, fallback: T): Promise<T>;
export function runSafe(log: (message: string) => void, fn: () => unknown): Promise<void>;
export async function runSafe<T>(log: (message: string) => void, fn: () => T | Promise<T>, fallback?: T): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`error: ${detail}`);
    return fallback;
  }
}
