import type { Argv } from 'yargs';

export interface TopologyArgs {
  topology: string;
  from: string;
}

/** `-t FILE --from ROLE|ROLE:HOST|auto`, shared by plan and scan. */
export function topologyOptions<T>(y: Argv<T>): Argv<T & TopologyArgs> {
  return y
    .option('topology', { alias: 't', type: 'string', demandOption: true, requiresArg: true, describe: 'the topology file (YAML or JSON)' })
    .option('from', {
      type: 'string',
      default: 'auto',
      describe: 'the vantage: a role (internet, client, mailbox, edge, ...), ROLE:HOST, or auto',
    }) as Argv<T & TopologyArgs>;
}
