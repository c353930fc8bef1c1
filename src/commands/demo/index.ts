import { Flags } from '@oclif/core';
import { Kafka, logLevel } from 'kafkajs';
import { BaseCommand } from '../../cli/base-command.js';
import { Outcome } from '../../core/exit-codes.js';
import { paint } from '../../core/output.js';
import { demoUp } from '../../services/demo.js';
import { type DemoSummary, runDemoScenario } from '../../services/demo-scenario.js';

export default class Demo extends BaseCommand {
  static override description =
    `Start a local sandbox — real Kafka brokers, a real Flink cluster behind the emulated Managed Service for Apache Flink API, and a config pointing at them — and show streamctl working: the monitors, a rebalance after adding a broker, and a bad deploy that the healer detects, classifies as user code, rolls back and verifies.
The sandbox stays up afterwards for you to explore; \`streamctl demo down\` stops everything.`;
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo down'];
  static override flags = {
    dir: Flags.string({
      description: 'Sandbox directory.',
      default: '.streamctl/demo',
      env: 'STREAMCTL_DEMO_DIR',
    }),
  };

  async run(): Promise<DemoSummary> {
    const { flags } = await this.parse(Demo);
    const json = this.jsonEnabled();
    const say = (section: string, line: string) => {
      if (json) this.jsonLine({ section, line });
      else this.print(`${paint('cyan', `[${section}]`.padEnd(12))} ${line}`);
    };
    say(
      'sandbox',
      'starting Kafka (3 brokers), Flink 1.20 and the AWS emulator on 127.0.0.1 (first run fetches nothing: run `npm run peers:fetch` once)…',
    );
    const state = await demoUp(flags.dir);
    say('sandbox', `up — config ${state.configFile}`);
    const sandbox = new Kafka({
      clientId: 'streamctl-demo',
      brokers: state.kafkaBootstrap.split(','),
      logLevel: logLevel.NOTHING,
    });
    const summary = await runDemoScenario(state, say, sandbox);
    if (!json) {
      this.print('');
      this.print(paint('bold', 'Summary'));
      this.print(`  Kafka health: ${summary.kafka.health} (${summary.kafka.findings.length} finding(s))`);
      this.print(
        `  Rebalance onto broker ${summary.rebalance.addedBroker}: ${summary.rebalance.partitionsChanged} partitions, ${(summary.rebalance.movedBytes / 1e6).toFixed(1)} MB moved, executed: ${summary.rebalance.executed ? 'yes' : 'no'}`,
      );
      this.print(
        `  Healer: loop detected, verdict ${summary.healer.verdict ?? '?'}, ${summary.healer.action ?? 'no action'} → ${summary.healer.outcome ?? '?'}`,
      );
      const v = summary.healer.views;
      if (v)
        this.print(
          `  After the heal: ${v.agree ? 'every view says healed' : `views disagree (${v.views.map((x) => `${x.view}: ${x.state}`).join(', ')})`}; incident ${v.incident}`,
        );
      this.print('');
      this.print('Explore the sandbox:');
      for (const c of [
        'kafka partitions -c demo',
        'flink status orders-enricher',
        'flink exceptions orders-enricher',
        'healer history',
        'report --format html --out report.html',
        'watch',
      ]) {
        this.print(`  streamctl ${c} --config ${state.configFile}`);
      }
      this.print('Stop it: streamctl demo down');
    }
    // The demo succeeds when the heal is verified AND every view tells it the same way.
    const told = summary.healer.views;
    this.setExitCode(
      summary.healer.outcome === 'healed' && told?.agree && told.incident === 'resolved'
        ? Outcome.OK
        : Outcome.NOT_MET,
    );
    return summary;
  }
}
