// 户的办理操作（报停恢复等）；与 en.ts 键相同。
export default {
  resume: {
    button: '提前恢复用水',
    confirm: '户号 {account} 目前报停。提前恢复用水？报停流程将恢复此户并结束。',
    title: '提前恢复',
    ok: '恢复',
    cancel: '取消',
    requested: '已提交恢复申请：报停流程正在恢复此户',
    done: '已恢复用水',
  },
  problem: {
    not_suspended: '此户不在报停状态，无需恢复',
    forbidden: '您的角色不能办理此操作',
    not_found: '户号不存在',
    invalid: '户号格式不正确',
    engine: '流程引擎暂时无法处理，请稍后再试',
    unknown: '操作失败（HTTP {status}）',
    network: '网络错误，请稍后再试',
  },
};
