/**
 * One handler per hub call (shared/api/hub-contract.ts), each over already-validated input and the
 * caller the HTTP layer authenticated. Role checks happen before a handler runs (http.ts, from each
 * call's `roles`); what only the data can tell — a unit operator's own unit — is checked here.
 */
import type { Handlers } from '../shared/api/dispatch';
import { hubCalls, type HubCalls, type HubCallSpec, type HubUser } from '../shared/api/hub-contract';
import { fail, ok, type Result } from '../shared/result';
import type { SlaPolicy } from '../shared/sla/policy';
import { changePassword, endSession, revokeSessions, sessionUser, tokenHash, userIdOf } from './auth';
import { checkLinks, checkPushedCodes, claimDesks, isDeskAccount, operatorOfPush, type BoundDesks } from './desk-access';
import { currentLeafCode } from '../shared/reference/retired-leaves';
import { guardedLogin, type LoginGuard } from './login-guard';
import type { Database } from './db';
import { applyMove, unitQueue } from './loop';
import { assistReply } from './assists';
import { callbackQueue, recordCallback } from './callbacks';
import { DEFAULT_CALLBACK_POLICY, type CallbackPolicy } from '../shared/lifecycle/callback';
import { publishReference, pullReference } from './reference';
import { pullModel, trainAndPublish, type TrainingOptions } from './learned';
import { applyExtension, decideRequest, requestUnreasonable, supervise } from './requests';
import { DEFAULT_SUPERVISION_POLICY, type SupervisionPolicy } from '../shared/lifecycle/supervision';
import { rates, shiftTally, shiftTickets } from './stats';
import { shiftDrill } from './shift-drill';
import { analytic, rankings, rankingTickets, rankScopeOf } from './rankings';
import { rankingsFileName, rankingsXlsx } from './rankings-export';
import { DEFAULT_SCORING, type ScoringPolicy } from '../shared/stats/scoring';
import { pullEvents, pullForSession, pushTickets } from './tickets';
import { centerHistory, centerLookup, centerRelated, urgeTicket } from './lookup';
import { claimSubmission, issueKey, listKeys, pendingSubmissions, rejectSubmission, releaseSubmission, revokeKey } from './open311';
import { DEFAULT_URGING_POLICY, type UrgingPolicy } from '../shared/lifecycle/urging';
import type { UnitDirectory } from './units';
import * as workspace from './workspace';

export interface HubCallContext {
  /** Null only for public calls (auth.login). */
  user: HubUser | null;
  /** The caller's network address (login-guard.ts counts failed logins per address). */
  address?: string;
  /** The session token the call came with (bearer or workspace cookie); null for public calls. */
  token?: string | null;
  /**
   * A bearer token http.ts has not checked (user null): the call checks the session in its own
   * statement (CHECKS_OWN_SESSION in server/http.ts; tickets.pull).
   */
  uncheckedToken?: string;
}

/** The refusal of a call to a user whose role it is not for (the same words wherever it is checked). */
export function refusedRole(spec: HubCallSpec, user: HubUser): Result<never> | null {
  return spec.roles === 'public' || spec.roles.includes(user.role) ? null : fail('forbidden', `当前账号（${user.username}）无权${spec.doc}`);
}

export const EXPIRED_TOKEN = '登录令牌无效或已过期，请重新登录';

export interface HandlerDeps {
  /** The 综合得分 weights (resources/policy/scoring.json); the documented defaults when absent. */
  scoring?: ScoringPolicy | undefined;
  db: Database;
  policy: SlaPolicy;
  now: () => Date;
  /** The unit directory (units.ts): who is a sub-center or the city center, where one may forward. */
  directory: UnitDirectory;
  /** The 督办 levels (resources/policy/supervision.json); the documented defaults when absent. */
  supervision?: SupervisionPolicy | undefined;
  /** Failed-login counting and lock-outs (login-guard.ts), shared with the workspace's sign-in. */
  guard: LoginGuard;
  /** 催办 → 督办 suggestions (resources/policy/urging.json, server/lookup.ts); the documented default when absent. */
  urging?: UrgingPolicy | undefined;
  /** 回访 attempts and 重办 limits (resources/policy/callback.json); the documented defaults when absent. */
  callbackPolicy?: CallbackPolicy | undefined;
  /** The learned suggester's training (server/learned.ts): which desks' tickets are test data. */
  training?: TrainingOptions | undefined;
}

/**
 * Whether an error is the database being away or busy (connection lost, server shutting down, too
 * many clients, a deadlock or serialisation failure) rather than a bug: the caller gets
 * `unavailable` (503) and retries, as a desk's sync client does; nothing was committed.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40001', '40P01'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|PGlite is closed|Cannot use a pool after calling end/i.test(message);
}

export async function guardDatabase<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    if (isTransientDatabaseError(error)) return fail('unavailable', '中心数据库暂不可用，请稍后重试');
    throw error; // a bug: the dispatcher logs it and answers internal
  }
}

function signedIn<T>(ctx: HubCallContext, run: (user: HubUser) => Promise<Result<T>>): Promise<Result<T>> {
  // http.ts never lets a non-public call through without a user; this is the handler's own guard.
  return ctx.user ? guardDatabase(() => run(ctx.user!)) : Promise.resolve(fail('unauthorized', '请先登录'));
}

export function createHubHandlers({ db, policy, now, directory, guard, supervision = DEFAULT_SUPERVISION_POLICY, scoring = DEFAULT_SCORING, callbackPolicy = DEFAULT_CALLBACK_POLICY, urging = DEFAULT_URGING_POLICY, training }: HandlerDeps): Handlers<HubCalls, HubCallContext> {
  const moveWith = (input: { version?: number | undefined }) => ({ version: input.version, directory, policy });
  const boundDesks: BoundDesks = new Map();
  return {
    'auth.login': ({ username, password }, ctx) => guardDatabase(() => guardedLogin(db, guard, username, password, ctx.address ?? 'unknown', now())),
    'auth.me': (_input, ctx) => signedIn(ctx, async (user) => ok(user)),
    'auth.logout': (_input, ctx) =>
      signedIn(ctx, async () => {
        if (ctx.token) await endSession(db, ctx.token);
        return ok({ signedOut: true as const });
      }),
    'auth.changePassword': (input, ctx) =>
      signedIn(ctx, async (user) => {
        const changed = await changePassword(db, user.id, input.currentPassword, input.newPassword, ctx.token ?? null);
        return changed ? ok(changed) : fail('unauthorized', '当前密码不正确，密码未修改');
      }),
    'admin.revokeSessions': (input, ctx) =>
      signedIn(ctx, async (user) => {
        const id = await userIdOf(db, input.username);
        if (!id) return fail('not_found', `没有账号“${input.username}”`);
        // The admin's own current session survives revoking their own account's others.
        return ok({ revoked: await revokeSessions(db, id, id === user.id ? (ctx.token ?? null) : null) });
      }),
    'tickets.push': (input, ctx) =>
      signedIn(ctx, async (user) => {
        // A desk that still holds an older catalogue may name a retired leaf: it is stored under the
        // leaf that took its tickets (shared/reference/retired-leaves.ts).
        const pushed = input.tickets.map((t) => ({ ...t, leafCode: currentLeafCode(t.leafCode) }));
        const codes = checkPushedCodes(pushed, directory);
        if (!codes.ok) return codes;
        const links = await checkLinks(db, pushed);
        if (!links.ok) return links;
        const deskAccount = await isDeskAccount(db, user);
        const attributed = operatorOfPush(user, deskAccount, pushed);
        if (!attributed.ok) return attributed;
        if (deskAccount) {
          const desks = await claimDesks(db, user, pushed.map((t) => t.deskId), now(), true, boundDesks);
          if (!desks.ok) return desks;
        }
        return ok({ results: await pushTickets(db, policy, attributed.value.tickets, now(), user.id, attributed.value.verified) });
      }),
    'tickets.pull': (input, ctx) => {
      const pullAs = async (user: HubUser) => {
        const desks = await claimDesks(db, user, [input.deskId], now(), await isDeskAccount(db, user), boundDesks);
        if (!desks.ok) return desks;
        return ok(await pullEvents(db, input));
      };
      if (ctx.user || ctx.uncheckedToken === undefined) return signedIn(ctx, pullAs);
      const token = ctx.uncheckedToken;
      // The session, the desk's binding and the events in one statement; a desk not bound to the
      // account yet (its first pull), an admin or a person goes on through claimDesks.
      return guardDatabase(async () => {
        const read = await pullForSession(db, { ...input, tokenSha256: tokenHash(token), now: now() });
        if (!read.user) return fail('unauthorized', EXPIRED_TOKEN);
        const user = sessionUser(read.user);
        const refused = refusedRole(hubCalls['tickets.pull'], user);
        if (refused) return refused;
        return read.bound ? ok(read.pull) : pullAs(user);
      });
    },
    'reference.publish': (input, ctx) => signedIn(ctx, (user) => publishReference(db, input, user.name, now())),
    'reference.pull': (input, ctx) => signedIn(ctx, async () => ok(await pullReference(db, input.have))),
    'model.pull': (input, ctx) => signedIn(ctx, async () => ok(await pullModel(db, input.have))),
    'admin.trainModel': (_input, ctx) => signedIn(ctx, (user) => trainAndPublish(db, { excludeDesks: training?.excludeDesks ?? [], now, by: user.name })),
    'unit.queue': (input, ctx) => signedIn(ctx, (user) => unitQueue(db, user, input)),
    'ticket.forward': (input, ctx) =>
      signedIn(ctx, (user) =>
        applyMove(db, user, input.ticketId, { move: 'forward', unitCode: input.unitCode, unitName: input.unitName ?? null, note: input.note }, now(), {
          ...moveWith(input),
          assistUnitCodes: input.assistUnitCodes,
        }),
      ),
    'ticket.assistReply': (input, ctx) => signedIn(ctx, (user) => assistReply(db, user, directory, input.ticketId, input, now())),
    'ticket.accept': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'accept' }, now(), moveWith(input))),
    'ticket.return': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'return', reason: input.reason, reasonKind: input.reasonKind }, now(), moveWith(input))),
    'ticket.reply': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'reply', reply: input.reply }, now(), moveWith(input))),
    'ticket.close': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'close', note: input.note, resolved: input.resolved }, now(), moveWith(input))),
    'ticket.callback': (input, ctx) => signedIn(ctx, (user) => recordCallback(db, user, input, now(), { policy, callbackPolicy })),
    'callback.queue': (input, ctx) => signedIn(ctx, () => callbackQueue(db, input, callbackPolicy)),
    'ticket.redispatch': (input, ctx) =>
      signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'redispatch', unitCode: input.unitCode, unitName: null, note: input.note }, now(), moveWith(input))),
    'ticket.extend': (input, ctx) => signedIn(ctx, (user) => applyExtension(db, user, input.ticketId, input, now())),
    'ticket.requestUnreasonable': (input, ctx) => signedIn(ctx, (user) => requestUnreasonable(db, user, input.ticketId, input, now())),
    'ticket.decide': (input, ctx) => signedIn(ctx, (user) => decideRequest(db, user, directory, input.ticketId, input, now())),
    'ticket.supervise': (input, ctx) => signedIn(ctx, (user) => supervise(db, user, directory, supervision, input.ticketId, input, now())),
    'workspace.me': (_input, ctx) => signedIn(ctx, async (user) => workspace.me(user, directory, supervision)),
    'workspace.queue': (input, ctx) => signedIn(ctx, (user) => workspace.queue(db, user, directory, input, urging)),
    'workspace.ticket': (input, ctx) => signedIn(ctx, (user) => workspace.ticket(db, user, directory, input.ticketId, urging)),
    'workspace.revealCaller': (input, ctx) => signedIn(ctx, (user) => workspace.revealCaller(db, user, directory, input.ticketId, now())),
    'workspace.units': (input, ctx) => signedIn(ctx, async (user) => workspace.units(user, directory, input.purpose)),
    'admin.unitAccounts': (input, ctx) => signedIn(ctx, () => workspace.createUnitAccounts(db, directory, input, now())),
    'center.history': (input, ctx) => signedIn(ctx, async () => ok(await centerHistory(db, input.phone))),
    'center.related': (input, ctx) => signedIn(ctx, async () => ok(await centerRelated(db, input, now()))),
    'center.lookup': (input, ctx) => signedIn(ctx, async () => ok(await centerLookup(db, input.key, input.deskId ?? null, urging))),
    'ticket.urge': (input, ctx) => signedIn(ctx, (user) => urgeTicket(db, user, input, now(), urging)),
    'open311.keys.issue': (input, ctx) => signedIn(ctx, (user) => issueKey(db, user, input, now())),
    'open311.keys.list': (_input, ctx) => signedIn(ctx, async () => ok(await listKeys(db))),
    'open311.keys.revoke': (input, ctx) => signedIn(ctx, () => revokeKey(db, input.id, now())),
    'open311.pending': (input, ctx) => signedIn(ctx, async () => ok(await pendingSubmissions(db, input.limit ?? 100, now()))),
    'open311.claim': (input, ctx) => signedIn(ctx, (user) => claimSubmission(db, user, input.id, now())),
    'open311.release': (input, ctx) => signedIn(ctx, (user) => releaseSubmission(db, user, input.id)),
    'open311.reject': (input, ctx) => signedIn(ctx, (user) => rejectSubmission(db, user, input, now())),
    'stats.shiftTickets': (input, ctx) =>
      signedIn(ctx, async () => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        return ok(await shiftTickets(db, input));
      }),
    'stats.shiftDrill': (input, ctx) =>
      signedIn(ctx, async (user) => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        return ok(await analytic(db, (sql) => shiftDrill(sql, user, input)));
      }),
    'stats.rates': (input, ctx) =>
      signedIn(ctx, async () => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        return ok(await rates(db, input));
      }),
    'stats.shiftTally': (input, ctx) =>
      signedIn(ctx, async () => {
        if (input.from > input.to || input.trendFrom > input.from) return fail('bad_request', `日期范围不对：${input.trendFrom} / ${input.from} 至 ${input.to}`);
        return ok(await shiftTally((statements) => analytic(db, statements), input));
      }),
    'stats.rankings': (input, ctx) =>
      signedIn(ctx, async (user) => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        const scope = rankScopeOf(user, directory);
        if (!scope.ok) return scope;
        return ok(await analytic(db, (sql) => rankings(sql, { directory, policy }, scoring, scope.value, input)));
      }),
    'stats.rankingTickets': (input, ctx) =>
      signedIn(ctx, async (user) => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        const scope = rankScopeOf(user, directory);
        if (!scope.ok) return scope;
        return ok(await analytic(db, (sql) => rankingTickets(sql, { directory, policy }, scope.value, input, now())));
      }),
    'stats.rankingsXlsx': (input, ctx) =>
      signedIn(ctx, async (user) => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        const scope = rankScopeOf(user, directory);
        if (!scope.ok) return scope;
        const data = await analytic(db, (sql) => rankings(sql, { directory, policy }, scoring, scope.value, input));
        return ok({ fileName: rankingsFileName(data), base64: (await rankingsXlsx(data, now())).toString('base64') });
      }),
  };
}
