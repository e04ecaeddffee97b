import { fileURLToPath } from 'node:url';

/** Absolute path of a hand-made sysfs fixture (test/fixtures/sysfs/<name>), from dist/test/… or test/…. */
export function fixtureRoot(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/sysfs/${name}`, import.meta.url));
}
