// Runs Debian's nmap inside a namespace and reads its XML: "address port/transport" -> state.

/** "25,80,443-445" -> [25, 80, 443, 444, 445] */
function portList(text) {
  return text.split(',').flatMap((part) => {
    const [low, high = low] = part.split('-').map(Number);
    return Array.from({ length: high - low + 1 }, (_, index) => low + index);
  });
}

/**
 * Every port nmap reports, those it folds into <extraports> included (nmap lists ports in the
 * most common state only as ranges in <extrareasons ports="...">).
 */
export function parseNmapXml(xml) {
  const states = new Map();
  for (const host of xml.split('<host ').slice(1)) {
    const address = /<address addr="([^"]+)" addrtype="ipv[46]"/.exec(host)?.[1];
    for (const match of host.matchAll(/<port protocol="(tcp|udp)" portid="(\d+)"><state state="([^"]+)"/g)) {
      states.set(`${address} ${match[2]}/${match[1]}`, match[3]);
    }
    for (const extra of host.matchAll(/<extraports state="([^"]+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
      for (const reason of extra[2].matchAll(/<extrareasons [^>]*proto="(tcp|udp)" ports="([^"]+)"/g)) {
        for (const port of portList(reason[2])) states.set(`${address} ${port}/${reason[1]}`, extra[1]);
      }
    }
  }
  return states;
}

/** `-n`: no reverse DNS, which would ask the system's resolver, an address outside the lab. */
export async function nmapStates(namespace, args) {
  return parseNmapXml(await namespace.exec('nmap', '-n', ...args.filter((arg) => arg !== '-n'), '-oX', '-'));
}
