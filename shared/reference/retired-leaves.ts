/**
 * Catalogue codes that were retired, and the code that took each one's tickets. The catalogue keeps
 * its published size (48 / 490 / 2,509): when an area callers raise every day had no leaf (住房公积金,
 * 民族宗教事务), a thin 二级 whose leaves other leaves already cover gave up its place. A retired code
 * is never given to anything else (scripts/merge-authoring.ts skips its serial), and tickets stored
 * under it — on the desk, at the hub, in a desk's unsent outbox — are moved to the leaf named here
 * (desk and hub migrations, and the hub's push for desks that still hold the old catalogue).
 */
export interface RetiredLeaf {
  /** The leaf's path when it was retired, for the record. */
  path: string;
  /** The leaf that takes its tickets. */
  replacedBy: string;
}

/** Retired 二级 codes: their serials are never reused. */
export const RETIRED_LEVEL2: Readonly<Record<string, string>> = {
  '2110': '住房保障—保障房违规查处',
  '4306': '政务服务—自助服务终端',
};

export const RETIRED_LEAVES: Readonly<Record<string, RetiredLeaf>> = {
  // 保障房违规查处: a report of fraud is a challenge to the publicised qualification; sublet, empty
  // or misused flats end in the flat being taken back (公租房退出).
  '2110001': { path: '住房保障—保障房违规查处—骗取保障房', replacedBy: '2107005' },
  '2110002': { path: '住房保障—保障房违规查处—公租房违规转租', replacedBy: '2102003' },
  '2110003': { path: '住房保障—保障房违规查处—保障房长期空置', replacedBy: '2102003' },
  '2110004': { path: '住房保障—保障房违规查处—保障房改变用途', replacedBy: '2102003' },
  // 自助服务终端: a self-service machine is the online service's front end in a hall.
  '4306001': { path: '政务服务—自助服务终端—自助机故障', replacedBy: '4301006' },
  '4306002': { path: '政务服务—自助服务终端—自助机点位查询', replacedBy: '4303001' },
  '4306003': { path: '政务服务—自助服务终端—自助打印证明', replacedBy: '4304005' },
  '4306004': { path: '政务服务—自助服务终端—自助终端操作指导', replacedBy: '4303005' },
  '4306005': { path: '政务服务—自助服务终端—自助缴费失败', replacedBy: '4301006' },
};

/** The code a stored ticket's leaf should have now (itself unless it was retired). */
export function currentLeafCode(code: string): string;
export function currentLeafCode(code: string | null): string | null;
export function currentLeafCode(code: string | null): string | null {
  return code === null ? null : (RETIRED_LEAVES[code]?.replacedBy ?? code);
}
