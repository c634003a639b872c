// Engine codes that people read, in Chinese: the web app's zh-CN locale (web/src/locales/enums/zh-CN.ts) and the
// printed timeline take them from here, so screen and paper cannot say different things. English is in en.ts.

export const processLabels = {
  /** Process and element instance states. */
  instanceState: { ACTIVE: '进行中', COMPLETED: '已完成', TERMINATED: '已终止' },
  /** What happened to a user task, as the record log says it. */
  userTaskIntent: {
    CREATED: '任务创建',
    ASSIGNED: '任务领取/指派',
    UPDATED: '任务更新',
    COMPLETED: '任务完成',
    CANCELED: '任务取消',
    CORRECTED: '任务信息已修正',
    ASSIGNMENT_DENIED: '指派被拒绝',
    UPDATE_DENIED: '更新被拒绝',
    COMPLETION_DENIED: '完成被拒绝',
    MIGRATED: '任务已迁移',
  },
  /** What happened to a job, as the record log says it. */
  jobIntent: {
    CREATED: '作业创建',
    COMPLETED: '作业完成',
    FAILED: '作业失败',
    ERROR_THROWN: '抛出业务错误',
    TIMED_OUT: '作业超时',
    RETRIES_UPDATED: '重试次数更新',
    CANCELED: '作业取消',
    YIELDED: '作业退回',
    MIGRATED: '作业已迁移',
  },
  /** BPMN element kinds as Camunda names them (elementType of element instances and the record log). */
  elementType: {
    PROCESS: '流程',
    SUB_PROCESS: '子流程',
    AD_HOC_SUB_PROCESS: '临时子流程',
    AD_HOC_SUB_PROCESS_INNER_INSTANCE: '临时子流程的一项',
    EVENT_SUB_PROCESS: '事件子流程',
    START_EVENT: '开始事件',
    INTERMEDIATE_CATCH_EVENT: '中间捕获事件',
    INTERMEDIATE_THROW_EVENT: '中间抛出事件',
    BOUNDARY_EVENT: '边界事件',
    END_EVENT: '结束事件',
    SERVICE_TASK: '服务任务',
    RECEIVE_TASK: '接收任务',
    USER_TASK: '人工任务',
    MANUAL_TASK: '手工任务',
    TASK: '任务',
    SEND_TASK: '发送任务',
    SCRIPT_TASK: '脚本任务',
    BUSINESS_RULE_TASK: '业务规则任务',
    CALL_ACTIVITY: '调用活动',
    MULTI_INSTANCE_BODY: '多实例',
    EXCLUSIVE_GATEWAY: '排他网关',
    INCLUSIVE_GATEWAY: '包容网关',
    PARALLEL_GATEWAY: '并行网关',
    EVENT_BASED_GATEWAY: '事件网关',
    SEQUENCE_FLOW: '顺序流',
  },
};

/** The label groups and their codes; every language gives a label for every code. */
export type ProcessLabels = {
  [Group in keyof typeof processLabels]: Record<keyof (typeof processLabels)[Group], string>;
};
