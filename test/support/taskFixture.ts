import { fileURLToPath } from 'node:url';

/** Absolute path of a task module in test/fixtures/tasks/ (from dist/test/…, the sources stay in test/). */
export function taskFixture(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/tasks/${name}`, import.meta.url));
}
