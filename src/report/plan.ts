import Table from 'cli-table3';
import type { Plan } from '../plan/types.js';
import { safeJson } from './json.js';

export type PlanFormat = 'table' | 'json' | 'markdown';

function vantageText(plan: Plan): string {
  return plan.vantage.host ? `${plan.vantage.role} ${plan.vantage.host}` : plan.vantage.role;
}

function rows(plan: Plan): string[][] {
  return plan.checks.map((c) => [
    c.flow,
    `${c.destination.role} ${c.destination.host}${c.destination.lookup === 'mx' ? ' (MX)' : ''}`,
    `${c.port}/${c.transport}`,
    c.expectation,
    c.probe,
  ]);
}

const HEAD = ['flow', 'destination', 'port', 'expectation', 'probe'];

/** What a scan from this vantage would check, without sending a packet. */
export function formatPlan(plan: Plan, format: PlanFormat): string {
  if (format === 'json') {
    return safeJson({ vantage: plan.vantage, checks: plan.checks, notes: plan.notes });
  }
  const notes = plan.notes.map((n) => `note: ${n}`);
  const title = `${plan.checks.length} checks from ${vantageText(plan)}`;
  if (format === 'markdown') {
    return [
      `### ${title}`,
      '',
      `| ${HEAD.join(' | ')} |`,
      `|${HEAD.map(() => '---').join('|')}|`,
      ...rows(plan).map((r) => `| ${r.join(' | ')} |`),
      '',
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
  }
  const t = new Table({ head: HEAD, style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  t.push(...rows(plan));
  return [title, t.toString(), ...notes, ''].join('\n');
}
