import { lowPortsRefusal } from '../../src/cli/low-ports.js';

describe('lab --standard-ports: who may listen on the real port numbers', () => {
  test('Windows: every user (there is no root, and no privilege is needed below 1024)', () => {
    expect(lowPortsRefusal('win32', undefined)).toBeUndefined();
  });

  test('Linux and macOS: root only, and the refusal says so', () => {
    expect(lowPortsRefusal('linux', 0)).toBeUndefined();
    expect(lowPortsRefusal('linux', 1000)).toBe('lab: --standard-ports needs root');
    expect(lowPortsRefusal('darwin', 501)).toBe('lab: --standard-ports needs root');
    expect(lowPortsRefusal('linux', undefined)).toBe('lab: --standard-ports needs root');
  });
});
