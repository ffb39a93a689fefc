/**
 * Every scope (权限) the bot's code needs, as the API pages list them ("开启其中任意一项权限即可调用":
 * any one of `anyOf` is enough). `probe` names a read-only call that needs the scope, so the
 * check can confirm it in the tenant rather than trust the scope list alone.
 */
export interface NeededScope {
  /** Any one of these will do; the first is the one the README asks for. */
  anyOf: string[];
  /** The name the developer console shows. */
  label: string;
  /** What breaks without it, in the words of the people who run the bot. */
  why: string;
  probe?: 'chatMembership' | 'contactLookup' | 'messageFiles';
  /** Needed only by this check and org:import, not by the running bot. */
  checkOnly?: boolean;
}

export const NEEDED_SCOPES: NeededScope[] = [
  // 发送消息 / 回复消息 / 更新应用发送的消息卡片: https://open.feishu.cn/document/server-docs/im-v1/message/create
  {
    anyOf: ['im:message:send_as_bot', 'im:message', 'im:message:send'],
    label: '以应用的身份发消息',
    why: '发送提醒、卡片和回复',
  },
  // 接收消息 event: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/events/receive
  {
    anyOf: ['im:message.p2p_msg:readonly', 'im:message.p2p_msg'],
    label: '读取用户发给机器人的单聊消息',
    why: '接收单聊中的命令',
  },
  {
    anyOf: ['im:message.group_at_msg:readonly', 'im:message.group_at_msg'],
    label: '接收群聊中@机器人消息事件',
    why: '接收群聊中 @机器人 的命令',
  },
  {
    anyOf: ['im:message.group_msg'],
    label: '获取群组中所有消息（敏感权限）',
    why: '接收卡片话题中的进展回复、照片和位置',
  },
  // 获取消息中的资源文件: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get
  {
    anyOf: ['im:message:readonly', 'im:message', 'im:message.history:readonly'],
    label: '获取单聊、群组消息',
    why: '下载大家发来的名录工作簿、考核方案、照片和文件',
    probe: 'messageFiles',
  },
  // 上传图片 / 上传文件: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/image/create
  { anyOf: ['im:resource', 'im:resource:upload'], label: '获取与上传图片或文件资源', why: '发送台账、纪要等文件' },
  // 发送应用内加急: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/urgent_app
  {
    anyOf: ['im:message.urgent', 'im:message.urgent:app_send'],
    label: '发送应用内加急消息',
    why: '紧急问题督办时加急提醒',
  },
  // 通过手机号或邮箱获取用户 ID (the 99991672 page's own example names it):
  // https://open.feishu.cn/document/uAjLw4CM/ugTN1YjL4UTN24CO1UjN/trouble-shooting/how-to-fix-the-99991672-error
  {
    anyOf: ['contact:user.id:readonly'],
    label: '通过手机号或邮箱获取用户 ID',
    why: '导入组织名录时按手机号或邮箱找到人员',
    probe: 'contactLookup',
  },
  // 判断用户或机器人是否在群里: https://open.feishu.cn/document/server-docs/group/chat-member/is_in_chat
  {
    anyOf: ['im:chat:readonly', 'im:chat', 'im:chat.members:read', 'im:chat.group_info:readonly'],
    label: '获取群组信息',
    why: '核对机器人是否在名录中的每个群里',
    probe: 'chatMembership',
    checkOnly: true,
  },
];
