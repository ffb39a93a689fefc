import { helpCommand } from '../../chat/commands/help.js';
import type { FeatureModule } from '../feature.js';
import { queriesModule } from '../queries/module.js';

/** /帮助: every registered command this person may use, in the order features are listed. */
export const helpModule: FeatureModule<Record<string, never>> = (infra, use) => {
  const { queries } = use(queriesModule);
  return {
    exports: {},
    commands: [helpCommand(infra.commands, (openId) => queries.audiences(openId))],
  };
};
