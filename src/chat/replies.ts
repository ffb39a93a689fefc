/** Short replies the chat layer gives itself, in one place so their wording stays consistent. */
export const REPLIES = {
  notACommand: '您好！请输入 /帮助 查看我能做什么。',
  unknownCommand: (word: string) => `未识别的命令“/${word}”。输入 /帮助 查看可用命令。`,
  didYouMean: (word: string, suggestion: string) => `未识别的命令“/${word}”，您是不是要找 /${suggestion}？`,
  internalError: '抱歉，处理您的请求时出现问题，请稍后再试；如多次出现，请联系区河长制办公室。',
  unknownAction: '该卡片已过期或无法识别，请重新打开最新的卡片。',
  unknownMenu: '该菜单项暂未开放。',
  formSentPrivately: (title: string) => `“${title}”表单已发到您与机器人的单聊，请在单聊中填写。`,
  formAlreadyRecorded: '该表单已提交并记录，无需重复提交',
  formBeingRecorded: '该表单正在提交，请勿重复点击',
} as const;
