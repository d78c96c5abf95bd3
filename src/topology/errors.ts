/**
 * Everything wrong with a topology file, one line a problem
 * (`<file>:<line>: <path>: <message>`), all found at once.
 */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  readonly code = 'ETOPOLOGY';
  readonly problems: string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = [...problems];
  }
}
