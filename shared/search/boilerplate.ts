/**
 * Words in a ticket's content that are no evidence of what the ticket is about, for the content
 * suggester (shared/search/suggest.ts). Collected for this project from how call-takers write up
 * calls (the framing phrases of test/unit/suggest-boilerplate.test.ts) and from the leaves they
 * pulled in when counted (热线服务, 公司设立登记, 劳动仲裁立案 …, through synonyms such as
 * 注册公司需要什么材料 or 仲裁需要带什么材料).
 *
 * BOILERPLATE: the write-up's framing — who called and that they asked or want something done. It
 * is cut out of the content before matching (so the 来电 of 市民来电反映 is not power coming back,
 * and 反映/诉求人 does not suggest the hotline's own leaves), and weighs nothing inside a term.
 *
 * GENERIC: words every area uses (材料, 办理, 怎么办, 问题 …). They stay in the content, so a term
 * that holds one is still said verbatim (入学材料), but inside a term they weigh nothing: only the
 * rest of the term (入学) is evidence, and a term made of them alone suggests nothing.
 */
export const BOILERPLATE: readonly string[] = [
  // who called
  '市民来电反映', '市民来电咨询', '市民来电表示', '市民来电称', '市民来电', '市民反映', '市民表示', '市民称', '市民咨询',
  '来电人反映', '来电人咨询', '来电人表示', '来电人称', '来电人要求', '来电人希望', '来电人询问', '来电人投诉', '来电人求助', '来电人建议', '来电人',
  '来电者反映', '来电者', '来电反映', '来电咨询', '来电表示', '来电称', '来电询问', '来电投诉', '来电求助', '来电建议', '致电反映', '致电',
  '诉求人反映', '诉求人表示', '诉求人称', '诉求人', '反映人', '投诉人', '咨询人', '据来电人描述', '据反映',
  '网友反映', '网友留言', '留言反映', '网民反映',
  // what they want done
  '要求尽快处理', '要求相关部门', '要求有关部门', '希望有关部门', '希望相关部门', '请相关部门', '请有关部门', '相关部门', '有关部门', '主管部门',
  '尽快处理', '尽快解决', '予以处理', '予以解决', '核实处理', '核实后回复', '请核实', '给予答复', '给予回复', '给予解决', '给个说法', '协调解决', '帮助解决', '帮忙解决',
  '来电人很着急', '望尽快', '请尽快', '要求尽快', '希望尽快',
];

export const GENERIC: readonly string[] = [
  '材料', '办理', '怎么办', '怎么', '怎样', '如何', '什么', '哪些', '哪里', '多少', '为什么', '是否', '能不能', '可不可以', '可以',
  '问题', '情况', '相关', '有关', '需要', '手续', '咨询', '反映', '表示', '处理', '解决', '部门', '要求', '希望', '尽快',
  '核实', '回复', '答复', '了解', '请问', '一下', '现在', '已经', '一直', '没有', '不知道', '告知', '说法', '帮助', '帮忙',
  '家里', '家中', '我家', '我们', '他们', '这个', '那个', '一个', '没人管', '没人理', '不管',
];
