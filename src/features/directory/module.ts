import { DirectoryUpload } from '../../chat/directory-upload.js';
import { FeishuContacts } from '../../feishu/contacts.js';
import { FeishuMessageFiles } from '../../feishu/message-files.js';
import type { FeatureModule } from '../feature.js';

/**
 * 组织名录: the roster workbook or YAML the offices send. Its handler answers any file sent
 * directly that nothing else took, so this feature is listed after those that take files.
 */
export const directoryModule: FeatureModule<Record<string, never>> = (infra) => ({
  exports: {},
  messageHandlers: [
    new DirectoryUpload({
      store: infra.stores.directory,
      contacts: new FeishuContacts(infra.client),
      files: new FeishuMessageFiles(infra.client),
    }),
  ],
});
