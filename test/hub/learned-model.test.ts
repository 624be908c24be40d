/**
 * The learned category suggester at the hub (server/learned.ts), on PGlite and on PostgreSQL: an
 * admin's `admin.trainModel` learns each ticket's final leaf — a returned ticket once it is
 * re-dispatched, not while it waits; never an approved 不合理诉求 nor a test desk's tickets — in a
 * worker thread; one training at a time; and the published version
 * reaches a syncing desk, which keeps it (and suggests from it) after the hub is gone.
 */
import { describe, expect, it } from 'vitest';
import type { HubClient } from '../../shared/api/hub-client';
import { loadModel } from '../../shared/learn/serialize';
import { predict } from '../../shared/learn/model';
import { LearnedModelFile } from '../../electron/services/reference/learned-model-file';
import { value } from '../support/desk';
import { setupOnce } from './fixture';
import { DRIVERS, expectOk, PASSWORD, pushedTicket, startTestHub, type TestHub } from './support';
import { trainOnHub } from '../../scripts/hub-train';
import { syncingDesk } from './syncing-desk';

const NOISE = ['楼下工地半夜还在施工，电锯声吵得睡不着', '小区旁边的工地凌晨两点还在打桩，噪音太大', '夜里施工的机器轰隆隆响，孩子没法睡觉', '工地晚上十一点以后还在浇筑混凝土，扰民严重'];
const HEAT = ['家里暖气片一点都不热，屋里才十四度', '暖气从供暖开始就是温的，老人冻感冒了', '供暖以后室温一直不达标，暖气不热', '楼里好几户暖气都不热，热力公司一直不来'];
const WATER = ['小区停水两天了，没有任何通知', '家里自来水突然没水了，物业说是管道坏了', '水管爆裂以后一直停水，做饭都没水', '整栋楼都停水了，什么时候能恢复供水'];

describe.each(DRIVERS)('learned suggester at the hub on %s', (driver) => {
  let t: TestHub;
  setupOnce(
    async () => {
      t = await startTestHub(driver, { trainExcludeDesks: ['demo-desk'] });
    },
    async () => {
      await t?.close();
    },
  );
  const as = (username: string): Promise<HubClient> => t.as(username);
  const push = async (content: string, leafCode: string, deskId = 'desk-1') => {
    const ticket = pushedTicket({ submittedAt: t.clock.now().toISOString(), content, leafCode, deskId });
    expectOk(await (await as('taker')).call('tickets.push', { tickets: [ticket] }));
    return ticket;
  };
  const current = async () => {
    const pulled = expectOk(await (await as('taker')).call('model.pull', { have: null }));
    expect(pulled.model).not.toBeNull();
    return { ...pulled.model!, model: value(loadModel(pulled.model!.content)) };
  };

  it('learns the final leaves: a returned ticket once re-dispatched, not an approved 不合理诉求, a waiting return or a test desk', async () => {
    const admin = await as('admin');
    const opA = await as('op_a');
    const city = await as('op_city');
    // No tickets yet: nothing to learn, nothing published.
    expect((await admin.call('admin.trainModel', {})).ok).toBe(false);
    expect(expectOk(await (await as('taker')).call('model.pull', { have: null })).model).toBeNull();

    for (const text of NOISE) await push(text, 'L001');
    for (const text of HEAT) await push(text, 'L002');
    // Returned by the street, then dispatched again by the center: it teaches its leaf.
    const redispatched = await push(WATER[0]!, 'L003');
    expectOk(await opA.call('ticket.return', { ticketId: redispatched.id, reason: '不属于本街道管辖', reasonKind: '地址不在辖区' }));
    expectOk(await admin.call('ticket.redispatch', { ticketId: redispatched.id, unitCode: 'U-B' }));
    // Returned and still waiting in the center's queue: its leaf may yet change.
    const waiting = await push('路灯坏了一个月没人修，晚上漆黑一片', 'L904');
    expectOk(await opA.call('ticket.return', { ticketId: waiting.id, reason: '不属于本街道管辖', reasonKind: '地址不在辖区' }));
    // An approved 不合理诉求 is no evidence for its leaf.
    const unreasonable = await push('要求政府给我家免费装修房子，不然天天打电话', 'L905');
    expectOk(await opA.call('ticket.accept', { ticketId: unreasonable.id }));
    expectOk(await opA.call('ticket.requestUnreasonable', { ticketId: unreasonable.id, reason: '诉求明显超出政策范围，经多次解释仍坚持', evidence: '已电话沟通三次，录音存档' }));
    expectOk(await city.call('ticket.decide', { ticketId: unreasonable.id, kind: 'unreasonable', approve: true, reason: '经核实属不合理诉求' }));
    // The demonstration desk's tickets are left out.
    for (const text of WATER.slice(1)) await push(text, 'L906', 'demo-desk');

    const report = expectOk(await admin.call('admin.trainModel', {}));
    expect(report).toMatchObject({ rows: 9, labels: 3 });
    const published = await current();
    expect(published.version).toBe(report.version);
    expect([...published.model.labels].sort()).toEqual(['L001', 'L002', 'L003']);
    expect(published.model.trained).toBe(9);
    // It suggests from what it learned, and says why.
    const [first] = predict(published.model, '工地夜里打桩太吵了', 3);
    expect(first!.label).toBe('L001');
    expect(first!.why.map((w) => w.text).join('')).toMatch(/工|地|打|桩|夜/);
    // A desk that has this version is sent nothing.
    expect(expectOk(await (await as('taker')).call('model.pull', { have: report.version })).model).toBeNull();
  }, 60_000);

  it('only an admin trains; one training at a time across hub processes', async () => {
    expect((await (await as('lead')).call('admin.trainModel', {})).ok).toBe(false);
    // Another hub process holds the lease: this one refuses rather than training twice.
    await t.db.query(`INSERT INTO learned_model_lease (id, holder, until) VALUES (true, 'other-process', $1)`, [new Date(t.clock.now().getTime() + 60_000).toISOString()]);
    const refused = await (await as('admin')).call('admin.trainModel', {});
    expect(refused.ok ? null : refused.error.kind).toBe('conflict');
    // A lease left by a process that died runs out; the admin's command line (npm run hub:train) trains.
    await t.db.query(`UPDATE learned_model_lease SET until = $1`, [new Date(t.clock.now().getTime() - 1000).toISOString()]);
    const lines: string[] = [];
    expect(await trainOnHub(t.url, 'admin', PASSWORD, (line) => lines.push(line))).toBe(0);
    expect(lines.at(-1)).toMatch(/^已发布新版分类推荐模型 [0-9a-f]{12}：9 张工单，3 个分类/);
    expect(await t.count('learned_model_lease')).toBe(0);
  }, 60_000);

  it('the published model reaches a syncing desk, which keeps it offline', async () => {
    const admin = await as('admin');
    for (const text of WATER) await push(`${text}，请尽快处理`, 'L003');
    const report = expectOk(await admin.call('admin.trainModel', {}));

    const d = await syncingDesk(t.url);
    try {
      expect(value(await d.api.call('suggest.model', { have: null }))).toEqual({ version: null, content: null });
      value(await d.desk.sync!.syncOnce());
      const kept = value(await d.api.call('suggest.model', { have: null }));
      expect(kept.version).toBe(report.version);
      const model = value(loadModel(kept.content!));
      expect(predict(model, '我们楼停水了一整天', 1)[0]!.label).toBe('L003');
      // Asked again with the version it has, the desk sends no content.
      expect(value(await d.api.call('suggest.model', { have: report.version }))).toEqual({ version: report.version, content: null });
      // The hub is gone: the model stays in the desk's data folder for the next start.
      await t.hub.close();
      expect(new LearnedModelFile(d.desk.dataDir).version()).toBe(report.version);
    } finally {
      d.desk.dispose();
      await t.restart();
    }
  }, 90_000);
});
