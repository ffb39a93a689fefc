import type { DeliveryFailureKind } from '../../domain/delivery/failure.js';
import type { UndeliveredView } from '../../workflows/delivery/undelivered-digest.js';
import type { CardJson } from '../../workflows/ports.js';
import { renderCard } from './template.js';

/** Why, and what the office does about it, for each kind of failure. */
const REASONS: Record<DeliveryFailureKind, { reason: string; action: string }> = {
  botNotInChat: { reason: '机器人不在该群中', action: '请把机器人拉入该群（群设置 › 群机器人 › 添加机器人）' },
  outsideAvailability: {
    reason: '此人不在应用的可用范围内',
    action: '请管理员在开发者后台把此人加入应用可用范围（应用发布 › 版本管理与发布），并发布新版本',
  },
  accountGone: {
    reason: '此人的飞书账号已失效（可能已离职或更换账号）',
    action: '请更新组织名录（发送新的名录表格），把该职责交给现任人员',
  },
  tooLarge: { reason: '消息内容超过飞书的大小上限', action: '请把此情况告知系统维护人员' },
  unreachable: {
    reason: '多次重试仍未送达（飞书繁忙或网络故障）',
    action: '一般无需处理；如反复出现，请告知系统维护人员',
  },
  refused: { reason: '飞书拒绝发送', action: '请把错误码告知系统维护人员' },
};

/** The daily “未送达” card for the River Chief Office. */
export function undeliveredCard(view: UndeliveredView): CardJson {
  return renderCard('undelivered', {
    date: view.date,
    total: view.total,
    more: view.more,
    rows: view.rows.map((row) => {
      const text = REASONS[row.kind];
      return {
        target: row.target,
        times: row.times,
        reason:
          row.code !== null && row.kind !== 'botNotInChat' && row.kind !== 'outsideAvailability'
            ? `${text.reason}（错误码 ${row.code}）`
            : text.reason,
        action: text.action,
      };
    }),
  });
}
