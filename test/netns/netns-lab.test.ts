import { NetnsLab, listNamespaces } from '../helpers/netns-lab.js';
import { whenRoot } from '../helpers/root.js';

whenRoot(() => {
  describe('netns lab helper', () => {
    it('removes its namespaces, veths and processes, also after a failure while building', async () => {
      const lab = await NetnsLab.create();
      const ours = async (): Promise<string[]> => (await listNamespaces()).filter((name) => name.endsWith(`-${lab.suffix}`));
      try {
        const left = await lab.namespace('l');
        const right = await lab.namespace('r');
        await lab.link(left, '198.18.100.1/30', right, '198.18.100.2/30');
        await right.start('node', ['-e', "require('net').createServer((s) => s.end()).listen(7, '198.18.100.2', () => process.stdout.write('ready\\n'))"]);
        const connect = "require('net').connect(7, '198.18.100.2').on('connect', () => { console.log('connected'); process.exit(0); })";
        expect(await left.exec('node', '-e', connect)).toBe('connected\n');
        expect((await ours()).sort()).toEqual([`xpe-l-${lab.suffix}`, `xpe-r-${lab.suffix}`]);
        await expect(left.nft('table ip xpe { chain broken { this is not nftables } }')).rejects.toThrow(/nft -f -/);
      } finally {
        await lab.destroy();
      }
      expect(await ours()).toEqual([]);
    }, 30_000);

    it('refuses addresses outside 198.18.0.0/17', async () => {
      const lab = await NetnsLab.create();
      try {
        const left = await lab.namespace('l');
        const right = await lab.namespace('r');
        await expect(lab.link(left, '10.0.0.1/30', right, '198.18.100.2/30')).rejects.toThrow('netns lab: 10.0.0.1/30 is outside 198.18.0.0/17');
        await expect(lab.link(left, '198.18.200.1/30', right, '198.18.100.2/30')).rejects.toThrow('outside 198.18.0.0/17');
      } finally {
        await lab.destroy();
      }
    });
  });
});
