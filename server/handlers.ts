/**
 * One handler per hub call (shared/api/hub-contract.ts), each over already-validated input and the
 * caller the HTTP layer authenticated. Role checks happen before a handler runs (http.ts, from each
 * call's `roles`); what only the data can tell — a unit operator's own unit — is checked here.
 */
import type { Handlers } from '../shared/api/dispatch';
import type { HubCalls, HubUser } from '../shared/api/hub-contract';
import { fail, ok, type Result } from '../shared/result';
import type { SlaPolicy } from '../shared/sla/policy';
import { login } from './auth';
import type { Database } from './db';
import { applyMove, unitQueue } from './loop';
import { publishReference, pullReference } from './reference';
import { rates, shiftTickets } from './stats';
import { pullEvents, pushTickets } from './tickets';
import type { UnitDirectory } from './units';
import * as workspace from './workspace';

export interface HubCallContext {
  /** Null only for public calls (auth.login). */
  user: HubUser | null;
}

export interface HandlerDeps {
  db: Database;
  policy: SlaPolicy;
  now: () => Date;
  /** The unit directory (units.ts): who is a sub-center or the city center, where one may forward. */
  directory: UnitDirectory;
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

export function createHubHandlers({ db, policy, now, directory }: HandlerDeps): Handlers<HubCalls, HubCallContext> {
  const moveWith = (input: { version?: number | undefined }) => ({ version: input.version, directory });
  return {
    'auth.login': ({ username, password }) =>
      guardDatabase(async () => {
        const session = await login(db, username, password, now());
        return session ? ok(session) : fail('unauthorized', '用户名或密码不正确');
      }),
    'auth.me': (_input, ctx) => signedIn(ctx, async (user) => ok(user)),
    'tickets.push': (input, ctx) => signedIn(ctx, async () => ok({ results: await pushTickets(db, policy, input.tickets, now()) })),
    'tickets.pull': (input, ctx) => signedIn(ctx, async () => ok(await pullEvents(db, input))),
    'reference.publish': (input, ctx) => signedIn(ctx, (user) => publishReference(db, input, user.name, now())),
    'reference.pull': (input, ctx) => signedIn(ctx, async () => ok(await pullReference(db, input.have))),
    'unit.queue': (input, ctx) => signedIn(ctx, (user) => unitQueue(db, user, input)),
    'ticket.forward': (input, ctx) =>
      signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'forward', unitCode: input.unitCode, unitName: input.unitName ?? null, note: input.note }, now(), moveWith(input))),
    'ticket.accept': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'accept' }, now(), moveWith(input))),
    'ticket.return': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'return', reason: input.reason, reasonKind: input.reasonKind }, now(), moveWith(input))),
    'ticket.reply': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'reply', reply: input.reply }, now(), moveWith(input))),
    'ticket.close': (input, ctx) => signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'close', note: input.note, resolved: input.resolved }, now(), moveWith(input))),
    'ticket.callback': (input, ctx) =>
      signedIn(ctx, (user) =>
        applyMove(db, user, input.ticketId, { move: 'callback', resolved: input.resolved, satisfaction: input.satisfaction, note: input.note }, now(), moveWith(input)),
      ),
    'ticket.redispatch': (input, ctx) =>
      signedIn(ctx, (user) => applyMove(db, user, input.ticketId, { move: 'redispatch', unitCode: input.unitCode, unitName: null, note: input.note }, now(), moveWith(input))),
    'workspace.me': (_input, ctx) => signedIn(ctx, async (user) => workspace.me(user, directory)),
    'workspace.queue': (input, ctx) => signedIn(ctx, (user) => workspace.queue(db, user, directory, input)),
    'workspace.ticket': (input, ctx) => signedIn(ctx, (user) => workspace.ticket(db, user, directory, input.ticketId)),
    'workspace.revealCaller': (input, ctx) => signedIn(ctx, (user) => workspace.revealCaller(db, user, directory, input.ticketId, now())),
    'workspace.units': (input, ctx) => signedIn(ctx, async (user) => workspace.units(user, directory, input.purpose)),
    'admin.unitAccounts': (input, ctx) => signedIn(ctx, () => workspace.createUnitAccounts(db, directory, input, now())),
    'stats.shiftTickets': (input, ctx) =>
      signedIn(ctx, async () => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        return ok(await shiftTickets(db, input));
      }),
    'stats.rates': (input, ctx) =>
      signedIn(ctx, async () => {
        if (input.from > input.to) return fail('bad_request', `起始日期 ${input.from} 晚于截止日期 ${input.to}`);
        return ok(await rates(db, input));
      }),
  };
}
