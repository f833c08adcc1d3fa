/** The CLI's human output in Simplified Chinese: every key of en.ts, the same `{placeholders}`. */
import type { MessageKey } from './en.ts';

export const zhCN: Record<MessageKey, string> = {
  'usage.main': `用法：mirrorwatch <命令> [选项]

命令：
  config validate <文件>           离线检查集群配置（YAML 或 JSON）
  config diff <文件>               应用后服务器上会变化的内容，逐个门店列出（admin）
  config apply <文件> [--yes]      显示差异，确认后应用（admin）
  status [--watch] [--json]        所有门店：状态、主库、纪元、延迟、起始时间
  events <门店> [--limit N] [--type T,…] [--since ISO] [--until ISO] [--cursor C] [--json]
  failover <门店> --reason 原因 [--target 节点] [--allow-data-loss]     （operator）
  confirm <门店> [--reason 原因]   确认等待操作员确认的故障切换（operator）
  reinstate <门店> <节点> --reason 原因                                  （operator）
  maintenance start <门店> --reason 原因 (--minutes N | --until ISO) [--start ISO]
  maintenance end <门店> [--id 窗口]                                    （operator）
  keys <门店> <节点|arbiter|hook|job:ID> [--json]   某个主体所需的密钥
  audit [--limit N] [--cursor C] [--json]           审计日志（admin）
  report --from 日期 --to 日期 [--region 区域] [--format csv|json] [--out 文件]

连接：--url、--token、--profile 名称；其次 MIRRORWATCH_URL、MIRRORWATCH_TOKEN、
  MIRRORWATCH_PROFILE；再次 ~/.config/mirrorwatch/profiles.json（权限须为 600）
输出：--lang en|zh-CN（默认取自 LC_ALL、LC_MESSAGES、LANG），--no-color，部分命令支持 --json
退出码：0 成功，1 操作失败或被拒绝，2 用法错误（未发送任何请求），
  3 无法连接服务器、未配置连接或令牌被拒绝`,
  'error.prefix': 'mirrorwatch：{message}',
  'error.usageHint': "运行 'mirrorwatch --help' 查看用法",
  'error.unknownCommand': '未知命令“{command}”',
  'error.badOption': '{message}',
  'error.unknownOption': '未知选项 {option}',
  'error.optionNeedsValue': '{option} 需要一个值',
  'error.optionNotHere': '{command} 不接受 {option}',
  'error.missingArgument': '{command} 需要 {what}',
  'error.extraArgument': '多余的参数“{arg}”',
  'error.badNumber': '--{option} 必须是 {min} 到 {max} 之间的整数，而不是“{value}”',
  'error.badTime': '--{option} 必须是 ISO 日期或时间，例如 2026-11-01 或 2026-11-01T08:00:00Z，而不是“{value}”',
  'error.badDate': '--{option} 必须是 YYYY-MM-DD 格式的日期，而不是“{value}”',
  'error.badChoice': '--{option} 必须是 {choices} 之一，而不是“{value}”',
  'error.badLang': '--lang 必须是 en 或 zh-CN，而不是“{value}”',
  'error.badId': '“{value}”不是有效的门店或节点 ID（须匹配 {pattern}）',
  'error.noUrl': '没有服务器地址：请传入 --url、设置 MIRRORWATCH_URL，或在 {file} 中添加配置档',
  'error.badUrl': '服务器地址“{url}”不是 http:// 或 https:// 地址',
  'error.noToken': '没有令牌：请传入 --token、设置 MIRRORWATCH_TOKEN，或在 {file} 的配置档中添加',
  'error.profileUnsafe': '{file} 可被其他用户读取（权限 {mode}）：请运行 chmod 600 {file}',
  'error.profileInvalid': '{file} 不是有效的配置档文件：{problem}',
  'error.profileMissing': '{file} 中没有名为“{name}”的配置档',
  'error.unreachable': '无法连接 {url}：{cause}；请检查 --url 以及 worker 是否在运行',
  'error.unauthorized': '服务器拒绝了该令牌（401）：请检查 --token 或 MIRRORWATCH_TOKEN',
  'error.forbidden': '该令牌无权执行此操作（403）：{message}；请使用具有 {role} 角色的令牌',
  'error.server': '服务器返回 {status}：{message}',
  'error.notFound': '未找到：{message}',
  'error.refused': '被拒绝：{message}',
  'error.invalidRequest': '服务器拒绝了该请求（{status}）：{message}',
  'error.notJson': '服务器返回 {status}，但不是预期的 JSON；{url} 是 mirrorwatch worker 吗？',
  'error.fileUnreadable': '无法读取 {file}：{cause}',
  'error.notAwaitingConfirm': '门店 {store} 没有在等待确认（状态：{status}）；未发送任何请求',
  'error.needsTty': '未经确认拒绝应用：请传入 --yes（标准输入不是终端）',
  'error.noReinstateRoute': '该服务器没有恢复节点的接口（POST /api/v1/stores/:id/reinstate）；请升级 worker',
  'error.noReportRoute': '该服务器没有可用性报告接口（GET /api/v1/reports/availability）；请升级 worker',
  'error.keys': '{message}',
  'config.valid': '{file}：有效（{stores} 个门店）',
  'config.invalid': '{file}：{count} 个问题',
  'config.problem': '{file}:{line}:{column}  {path}：{message}',
  'config.syntax': '{file}:{line}:{column}  语法错误：{message}',
  'config.noChange': '没有变化：服务器已在运行此配置',
  'config.firstConfig': '服务器尚无配置：所有门店都是新增的',
  'config.added': '+ {store}  新增',
  'config.changed': '~ {store}  变更：{fields}',
  'config.removed': '- {store}  删除',
  'config.fleetChanged': '~ 集群  变更：{fields}',
  'config.summary': '新增 {added}，变更 {changed}，删除 {removed}',
  'config.ask': '将此配置应用到 {url}？[y/N] ',
  'config.aborted': '未应用',
  'config.applied': '已应用：新增 {added}，变更 {changed}，删除 {removed}',
  'status.store': '门店',
  'status.status': '状态',
  'status.primary': '主库',
  'status.epoch': '纪元',
  'status.lag': '延迟',
  'status.since': '起始时间',
  'status.none': '没有门店：请先应用集群配置（mirrorwatch config apply <文件>）',
  'status.watching': '每 {seconds} 秒刷新，按 Ctrl-C 停止；{at}',
  'status.healthy': '正常',
  'status.degraded': '降级',
  'status.primary_down': '主库宕机',
  'status.awaiting_confirm': '等待确认',
  'status.failing_over': '切换中',
  'status.split_brain': '脑裂',
  'status.store_unreachable': '无法连接',
  'status.maintenance': '维护中',
  'status.unknown': '未知',
  'events.none': '没有事件',
  'events.at': '时间',
  'events.type': '类型',
  'events.message': '内容',
  'failover.accepted': '门店 {store} 的故障切换 {id} 已受理：纪元 {epoch}，{from} → {to}（{state}）',
  'confirm.accepted': '已确认：门店 {store} 的故障切换 {id}，纪元 {epoch}，切换到 {to}（{state}）',
  'reinstate.accepted': '已请求恢复门店 {store} 的节点 {node}',
  'maintenance.started': '门店 {store} 的维护窗口 {id} 已开启，至 {end}',
  'maintenance.ended': '门店 {store} 的维护已结束',
  'audit.none': '没有审计记录',
  'audit.at': '时间',
  'audit.who': '操作人',
  'audit.action': '操作',
  'audit.store': '门店',
  'audit.outcome': '结果',
  'audit.what': '内容',
  'list.more': '更多：--cursor {cursor}',
  'report.written': '报告已写入 {file}（{bytes} 字节）',
};
