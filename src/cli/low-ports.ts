/**
 * Why `lab --standard-ports` cannot listen on the real port numbers (25, 53, 80, 443...) here,
 * or undefined when it can. Windows lets every user listen below 1024 (there is no root there);
 * Linux and macOS need root. A capability (CAP_NET_BIND_SERVICE) or a lowered
 * net.ipv4.ip_unprivileged_port_start would also do, but cannot be read without a shell-out:
 * such a user runs it as root.
 */
export function lowPortsRefusal(platform: NodeJS.Platform, uid: number | undefined): string | undefined {
  if (platform === 'win32' || uid === 0) return undefined;
  return 'lab: --standard-ports needs root';
}
