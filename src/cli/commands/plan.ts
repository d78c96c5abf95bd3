import type { CommandModule } from 'yargs';
import { MODEL } from '../../model/index.js';
import { plan } from '../../plan/plan.js';
import { resolveVantage } from '../../plan/vantage.js';
import { formatPlan, type PlanFormat } from '../../report/plan.js';
import { loadTopology } from '../../topology/load.js';
import { localIdentity } from '../local-identity.js';
import { topologyOptions, type TopologyArgs } from '../topology-options.js';

interface Args extends TopologyArgs {
  format: PlanFormat;
}

export const planCommand: CommandModule<object, Args> = {
  command: 'plan',
  describe: 'List what a scan from this vantage would check, without sending a packet',
  builder: (y) =>
    topologyOptions(y).option('format', { choices: ['table', 'json', 'markdown'] as const, default: 'table' as const }) as never,
  handler: async (args) => {
    const topology = await loadTopology(args.topology);
    const vantage = resolveVantage(args.from, topology, localIdentity());
    process.stdout.write(formatPlan(plan(MODEL, topology, vantage), args.format));
  },
};
