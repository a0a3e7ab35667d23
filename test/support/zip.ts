/** Writes a zip for tests (bundles) with the product's zip writer, src/util/zip.ts. */
import { writeFileSync } from 'node:fs';
import { zip } from '../../src/util/zip.js';

export function writeZip(path: string, files: Record<string, string | Buffer>): void {
  writeFileSync(path, zip(files));
}
