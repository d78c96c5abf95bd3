// Runs Debian's nmap inside a namespace and reads its XML: "address port/transport" -> state.
export async function nmapStates(namespace, args) {
  const xml = await namespace.exec('nmap', ...args, '-oX', '-');
  const states = new Map();
  for (const host of xml.split('<host ').slice(1)) {
    const address = /<address addr="([^"]+)" addrtype="ipv4"/.exec(host)?.[1];
    for (const match of host.matchAll(/<port protocol="(tcp|udp)" portid="(\d+)"><state state="([^"]+)"/g)) {
      states.set(`${address} ${match[2]}/${match[1]}`, match[3]);
    }
  }
  return states;
}
