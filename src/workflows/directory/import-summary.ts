import { isEmptyDiff, type KindDiff } from '../../domain/directory/diff.js';
import { type Unreachable, unreachableReason } from '../../domain/directory/reachability.js';
import type { ImportOutcome } from './import-directory.js';
import { describeReach } from './reach.js';

/** Units and water bodies nothing reaches: imported all the same, with what to fill in. */
export function describeUnreachable(found: Unreachable): string[] {
  const lines: string[] = [];
  if (found.units.length > 0) {
    lines.push(
      `以下 ${found.units.length} 个单位无法收到任何消息，问题和议定事项不能交办给它们（请填写成员或群聊 ID 后重新导入；修正前列在 /逾期 中）：`,
    );
    for (const u of found.units) lines.push(`  ${u.name}：${unreachableReason(u)}`);
  }
  if (found.waterBodies.length > 0) {
    lines.push(
      `以下 ${found.waterBodies.length} 条河湖既没有群聊，河湖长也都没有飞书账号，巡河提醒和卡片无人收到（请填写群聊 ID 或河湖长）：`,
    );
    for (const w of found.waterBodies) lines.push(`  ${w.name}`);
  }
  return lines;
}

/** The import result in the words office staff use; shared by the CLI and the summary card. */
export function summariseImport(
  outcome: ImportOutcome,
  options: { dryRun?: boolean } = {},
): { title: string; lines: string[] } {
  if (!outcome.ok) {
    return {
      title: `导入未完成：发现 ${outcome.problems.length} 处问题，未写入任何数据`,
      lines: [
        ...outcome.problems.map((p) => `${p.where}：${p.message}`),
        ...(outcome.unreadable ? [outcome.unreadable] : []),
      ],
    };
  }
  const kind = (label: string, diff: KindDiff<{ id: string; name?: string }>) => {
    const names = (items: Array<{ id: string; name?: string }>) => items.map((i) => i.name ?? i.id).join('、');
    const parts = [
      `新增 ${diff.added.length}`,
      `变更 ${diff.changed.length}`,
      `移除 ${diff.removed.length}`,
      `未变 ${diff.unchanged}`,
    ];
    const details = [
      diff.added.length > 0 ? `  新增：${names(diff.added)}` : '',
      diff.changed.length > 0 ? `  变更：${names(diff.changed)}` : '',
      diff.removed.length > 0 ? `  移除：${diff.removed.join('、')}` : '',
    ].filter(Boolean);
    return [`${label}：${parts.join('，')}`, ...details];
  };
  const lines = [
    ...kind('人员', outcome.diff.people),
    ...kind('单位', outcome.diff.units),
    ...kind('河湖', outcome.diff.waterBodies),
    ...(outcome.diff.settingsChanged ? ['全区设置已更新'] : []),
    ...(outcome.unresolved.length > 0
      ? [
          `以下 ${outcome.unresolved.length} 人在飞书中未找到（请核对手机号或邮箱），暂时无法向其发送提醒：`,
          ...outcome.unresolved.map((p) => `  ${p.name}（${p.mobile ?? p.email ?? p.id}）`),
        ]
      : []),
    ...describeUnreachable(outcome.unreachable),
    ...(outcome.reach ? describeReach(outcome.reach) : []),
  ];
  const changed = outcome.written || (options.dryRun === true && !isEmptyDiff(outcome.diff));
  const title = !changed
    ? '组织名录无变化，未写入数据'
    : options.dryRun
      ? '试运行：以下变化尚未写入'
      : '组织名录已导入';
  return { title, lines };
}
