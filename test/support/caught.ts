import { expect } from 'vitest';
import { DoctorError } from '../../src/errors.js';

/** The DoctorError `p` rejects with; fails the test when it resolves or rejects with anything else. */
export async function caught(p: Promise<unknown>): Promise<DoctorError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(DoctorError);
    return err as DoctorError;
  }
  throw new Error('expected the call to fail');
}
