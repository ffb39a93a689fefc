import { assessmentCommand } from '../../chat/approval-actions.js';
import { SchemeUpload } from '../../chat/scheme-upload.js';
import { renderWorkbook } from '../../export/ledger-xlsx.js';
import { FeishuMessageFiles } from '../../feishu/message-files.js';
import { problemDueFactsMigration } from '../../store/migrations/problem-due-facts.js';
import { AssessmentService } from '../../workflows/assessment/assessment-service.js';
import { approvalsModule } from '../approvals/module.js';
import type { FeatureModule } from '../feature.js';

/** 年度考核: /考核, and the 考核细则 the River Chief Office sends as a YAML file. */
export const assessmentModule: FeatureModule<{ assessment: AssessmentService }> = (infra, use) => {
  const { stores } = infra;
  const assessment = new AssessmentService({
    directory: stores.directory,
    approvals: stores.approvals,
    chain: use(approvalsModule).approvals,
    issues: stores.issues,
    patrols: stores.patrols,
    sanctions: stores.sanctions,
    renderWorkbook,
    messenger: infra.messenger,
    clock: infra.clock,
    timeZone: infra.timeZone,
  });
  return {
    exports: { assessment },
    commands: [assessmentCommand(assessment, infra.timeZone, () => infra.clock.now())],
    messageHandlers: [
      new SchemeUpload({
        directory: stores.directory,
        approvals: stores.approvals,
        files: new FeishuMessageFiles(infra.client),
        clock: infra.clock,
      }),
    ],
    // The problems the assessment counts are read from their due facts: built once on upgrade.
    migrations: [problemDueFactsMigration(stores.issues.figures.due)],
  };
};
