/**
 * Root-only suites: when not root, one test says so (and asserts the euid is non-zero);
 * when root, `define` declares the real tests.
 */
export function whenRoot(define: () => void): void {
  if (process.geteuid?.() === 0) {
    define();
    return;
  }
  it('netns suite not run: needs root', () => {
    process.stdout.write('netns suite not run: needs root\n');
    expect(process.geteuid?.()).not.toBe(0);
  });
}
