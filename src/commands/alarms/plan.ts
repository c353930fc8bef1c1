import { BaseCommand, DEFAULT_DEADLINE } from '../../cli/base-command.js';
import { withAwsPorts } from '../../cli/live-ports.js';
import { buildAlarmPlan, planRequests } from '../../services/alarms.js';

export default class AlarmsPlan extends BaseCommand {
  static override deadline = DEFAULT_DEADLINE;
  static override description =
    'Show the exact PutMetricAlarm requests of the recommended CloudWatch alarms for the configured fleet: restart loop (fullRestarts DIFF guarded against resets; numRestarts on Flink 2.2+), downtime, failed checkpoints, MSK disk 60/80%, URP, offline partitions, active controller.';
  static override examples = [
    '<%= config.bin %> alarms plan',
    '<%= config.bin %> alarms plan --json > alarms.json',
  ];

  async run(): Promise<{
    requests: ReturnType<typeof planRequests>;
    skipped: Array<{ target: string; reason: string }>;
  }> {
    const { flags } = await this.parse(AlarmsPlan);
    const { config } = await this.getConfig(flags.config);
    const plan = await withAwsPorts(config, (ports) => buildAlarmPlan(config, ports));
    const requests = planRequests(plan);
    for (const r of requests)
      this.print(
        `# region ${r.region ?? '(default)'}\nPutMetricAlarm ${JSON.stringify(r.request, null, 2)}\n`,
      );
    for (const s of plan.skipped) this.print(`skipped ${s.target}: ${s.reason}`);
    this.print(`${requests.length} alarm(s) planned. Install them with \`streamctl alarms install\`.`);
    return { requests, skipped: plan.skipped };
  }
}
