/** A mistake the user can fix (bad flag, bad file): one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code: string;
  constructor(message: string, code = 'EUSAGE', options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isKnownError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof (error as { code: unknown }).code === 'string' && error.name !== 'Error';
}
