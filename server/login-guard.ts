/**
 * Guessing passwords at the hub (auth.login and the workspace's /web/session): every failed login
 * is logged with the account and the address, and counted per account and per address. The policy:
 *
 * - Per account: from the 3rd failure in a row, the next try is refused, without checking the
 *   password, until 2^(failures − 3) seconds have passed (1 s, 2 s, 4 s … at most 60 s); after 10
 *   failures the account is locked for 15 minutes. A successful login clears the account's count.
 * - Per address: 30 failures within 15 minutes lock that address out for 15 minutes (whatever
 *   account it tries), so one machine cannot walk through many usernames.
 * - Counts older than 15 minutes are forgotten. The counts live in the hub's memory (a restart
 *   clears them); at most MAX_TRACKED accounts and addresses each are remembered, the oldest dropped.
 *
 * - At most 4 password checks run at once for one account and 16 from one address; a try beyond
 *   that is refused at once (guesses sent in parallel would otherwise all pass the count above).
 *
 * A refused try costs no scrypt run, so guessing cannot burn the hub's CPU either.
 */
import { fail, ok, type Result } from '../shared/result';
import { login, type Session } from './auth';
import type { Sql } from './db';

export const LOGIN_POLICY = {
  /** Failures in a row before an account's tries are spaced out. */
  backoffAfter: 3,
  maxBackoffSeconds: 60,
  /** Failures in a row that lock an account. */
  lockAccountAfter: 10,
  /** Failures from one address (any accounts) within the window that lock the address. */
  lockAddressAfter: 30,
  lockMinutes: 15,
  windowMinutes: 15,
  /** Password checks at once for one account / from one address; more are refused, not queued. */
  parallelPerAccount: 4,
  parallelPerAddress: 16,
} as const;

const MAX_TRACKED = 10_000;

interface Count {
  failures: number;
  first: number;
  last: number;
  lockedUntil: number;
}

export type GuardCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'account' | 'address' };

export class LoginGuard {
  private readonly accounts = new Map<string, Count>();
  private readonly addresses = new Map<string, Count>();
  /** Password checks running now, per account and per address (guessing in parallel waits its turn). */
  private readonly running = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly log: (line: string) => void = () => {},
  ) {}

  private current(map: Map<string, Count>, key: string, at: number): Count | null {
    const count = map.get(key);
    if (!count) return null;
    const windowMs = LOGIN_POLICY.windowMinutes * 60_000;
    if (count.lockedUntil <= at && at - count.last > windowMs) {
      map.delete(key);
      return null;
    }
    return count;
  }

  /** Whether a login for this account from this address may be checked now. */
  check(username: string, address: string): GuardCheck {
    const at = this.now().getTime();
    const byAddress = this.current(this.addresses, address, at);
    if (byAddress && byAddress.lockedUntil > at) return { allowed: false, retryAfterSeconds: Math.ceil((byAddress.lockedUntil - at) / 1000), reason: 'address' };
    const account = this.current(this.accounts, username, at);
    if (account) {
      if (account.lockedUntil > at) return { allowed: false, retryAfterSeconds: Math.ceil((account.lockedUntil - at) / 1000), reason: 'account' };
      if (account.failures >= LOGIN_POLICY.backoffAfter) {
        const waitMs = Math.min(2 ** (account.failures - LOGIN_POLICY.backoffAfter), LOGIN_POLICY.maxBackoffSeconds) * 1000;
        if (at < account.last + waitMs) return { allowed: false, retryAfterSeconds: Math.ceil((account.last + waitMs - at) / 1000), reason: 'account' };
      }
    }
    return { allowed: true };
  }

  private bump(map: Map<string, Count>, key: string, at: number, lockAfter: number): Count {
    const count = this.current(map, key, at) ?? { failures: 0, first: at, last: at, lockedUntil: 0 };
    count.failures++;
    count.last = at;
    if (count.failures >= lockAfter && count.lockedUntil <= at) count.lockedUntil = at + LOGIN_POLICY.lockMinutes * 60_000;
    map.delete(key);
    map.set(key, count); // most recent last
    while (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
    return count;
  }

  /** Starts a password check unless too many run already for this account or address; `done` ends it. */
  begin(username: string, address: string): { done: () => void } | null {
    const keys = [`u:${username}`, `a:${address}`] as const;
    const limits = [LOGIN_POLICY.parallelPerAccount, LOGIN_POLICY.parallelPerAddress];
    if (keys.some((key, i) => (this.running.get(key) ?? 0) >= limits[i]!)) return null;
    for (const key of keys) this.running.set(key, (this.running.get(key) ?? 0) + 1);
    let ended = false;
    return {
      done: () => {
        if (ended) return;
        ended = true;
        for (const key of keys) {
          const left = (this.running.get(key) ?? 1) - 1;
          if (left > 0) this.running.set(key, left);
          else this.running.delete(key);
        }
      },
    };
  }

  failed(username: string, address: string): void {
    const at = this.now().getTime();
    const account = this.bump(this.accounts, username, at, LOGIN_POLICY.lockAccountAfter);
    const byAddress = this.bump(this.addresses, address, at, LOGIN_POLICY.lockAddressAfter);
    this.log(`登录失败：账号“${username.slice(0, 64)}”，来自 ${address}（该账号连续第 ${account.failures} 次，该地址 ${LOGIN_POLICY.windowMinutes} 分钟内第 ${byAddress.failures} 次）`);
    if (account.lockedUntil > at && account.failures === LOGIN_POLICY.lockAccountAfter)
      this.log(`账号“${username.slice(0, 64)}”连续 ${account.failures} 次登录失败，锁定 ${LOGIN_POLICY.lockMinutes} 分钟`);
    if (byAddress.lockedUntil > at && byAddress.failures === LOGIN_POLICY.lockAddressAfter)
      this.log(`地址 ${address} 在 ${LOGIN_POLICY.windowMinutes} 分钟内 ${byAddress.failures} 次登录失败，锁定 ${LOGIN_POLICY.lockMinutes} 分钟`);
  }

  refused(username: string, address: string, check: Extract<GuardCheck, { allowed: false }>): void {
    this.log(`登录被拒（${check.reason === 'account' ? '账号暂停' : '地址暂停'}，${check.retryAfterSeconds} 秒后可再试）：账号“${username.slice(0, 64)}”，来自 ${address}`);
  }

  succeeded(username: string): void {
    this.accounts.delete(username);
  }
}

/** The Chinese message for a refused try. */
export function lockedMessage(check: Extract<GuardCheck, { allowed: false }>): string {
  const wait = check.retryAfterSeconds >= 60 ? `${Math.ceil(check.retryAfterSeconds / 60)} 分钟` : `${check.retryAfterSeconds} 秒`;
  return check.reason === 'account' ? `该账号登录失败次数过多，请 ${wait}后再试` : `本机登录失败次数过多，请 ${wait}后再试`;
}

/**
 * A login through the guard: refused without a password check while backed off or locked
 * (unauthorized, with `retryAfterSeconds` in the details); every failure counted and logged.
 */
export async function guardedLogin(db: Sql, guard: LoginGuard, username: string, password: string, address: string, now: Date): Promise<Result<Session>> {
  const check = guard.check(username, address);
  if (!check.allowed) {
    guard.refused(username, address, check);
    return fail('unauthorized', lockedMessage(check), { retryAfterSeconds: check.retryAfterSeconds });
  }
  const running = guard.begin(username, address);
  if (!running) {
    guard.refused(username, address, { allowed: false, retryAfterSeconds: 1, reason: 'account' });
    return fail('unauthorized', '登录请求过于频繁，请稍后再试', { retryAfterSeconds: 1 });
  }
  let session: Session | null;
  try {
    session = await login(db, username, password, now);
  } finally {
    running.done();
  }
  if (!session) {
    guard.failed(username, address);
    return fail('unauthorized', '用户名或密码不正确');
  }
  guard.succeeded(username);
  return ok(session);
}
