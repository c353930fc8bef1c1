import { BaseCommand } from '../../cli/base-command.js';
import { RUNBOOKS } from '../../runbooks/registry.js';
import { stepSpecs } from '../../runbooks/types.js';
import { renderRunbookList } from '../../ui/runbook/text.js';

export default class RunbookList extends BaseCommand {
  static override description =
    'List the on-call runbooks: what each is for, its target and its steps (docs/runbooks/<id>.md has the same in prose).';
  static override examples = ['<%= config.bin %> runbook list', '<%= config.bin %> runbook list --json'];

  async run() {
    await this.parse(RunbookList);
    const runbooks = RUNBOOKS.map((r) => ({
      id: r.id,
      title: r.title,
      target: r.target,
      when: r.when,
      steps: stepSpecs(r),
      doc: `docs/runbooks/${r.id}.md`,
    }));
    if (!this.jsonEnabled()) this.print(renderRunbookList(runbooks));
    return { runbooks };
  }
}
