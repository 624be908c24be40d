/**
 * Who may sign in at a desk as 班长 (team lead). The lead role opens the shift figures and exports
 * with full phone numbers, so it takes a credential, checked here on the main side:
 * - a **PIN** an administrator set on this machine (`npm run desk:pin`, scripts/desk-pin.ts), or
 * - the lead's **hub account** (username = 工号): verified at the hub when it is reachable (the
 *   account must be a team lead or admin there); a verifier of the password is then kept so the same
 *   lead can sign in offline for `OFFLINE_DAYS` after the last check at the hub.
 * Verifiers are scrypt hashes with a salt each, in the settings table under `lead.credentials`
 * (never the PIN or password itself). Five wrong tries for one 工号 lock it for five minutes.
 * Call-takers need no credential: their sign-in only names who takes the calls.
 */
import { randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubClient, type HubFetch } from '../../../shared/api/hub-client';
import { fail, ok, type Result } from '../../../shared/result';
import type { SettingsRepo } from '../store/settings-repo';

export const OFFLINE_DAYS = 14;
const MAX_FAILURES = 5;
const LOCK_MS = 5 * 60_000;
const SCRYPT = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY = 'lead.credentials';

interface Verifier {
  salt: string;
  hash: string;
  /** When it was set (PIN) or last confirmed at the hub (hub). */
  at: string;
}

interface Stored {
  pins: Record<string, Verifier>;
  hub: Record<string, Verifier>;
}

/** The 工号 the first start gives a PIN (bootstrap). */
export const FIRST_LEAD_ID = '0001';
/** The file in the data folder that holds the first start's PIN. */
export const FIRST_LEAD_FILE = 'lead-pin.txt';

export function firstLeadLine(operatorId: string, pin: string): string {
  return `班长签到（Alt+S，角色选“班长”）：工号 ${operatorId}，PIN ${pin}。修改或新增：npm run desk:pin -- --id 工号`;
}

/** The 工号 and PIN the first start wrote into this data folder (FIRST_LEAD_FILE), or null when there is none. */
export function readFirstLead(dataDir: string): { operatorId: string; pin: string } | null {
  const file = join(dataDir, FIRST_LEAD_FILE);
  if (!existsSync(file)) return null;
  const found = /工号 (\w+)，PIN (\d+)/.exec(readFileSync(file, 'utf8'));
  return found ? { operatorId: found[1]!, pin: found[2]! } : null;
}

/** A random six-digit PIN. */
export function newPin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export type LeadVia = 'pin' | 'hub' | 'cached';

function digest(secret: string, salt: string): string {
  return scryptSync(secret.normalize('NFC'), Buffer.from(salt, 'base64url'), 32, SCRYPT).toString('base64url');
}

function make(secret: string, at: Date): Verifier {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: digest(secret, salt), at: at.toISOString() };
}

/** The record's own entry for a 工号: never one of Object.prototype's (a 工号 may be "toString"). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function matches(v: Verifier, secret: string): boolean {
  const a = Buffer.from(digest(secret, v.salt), 'base64url');
  const b = Buffer.from(v.hash, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A PIN an administrator may set: 6 to 12 digits. */
export function pinProblem(pin: string): string | null {
  return /^\d{6,12}$/.test(pin) ? null : 'PIN 应为 6–12 位数字';
}

export interface LeadCredentialsOptions {
  settings: SettingsRepo;
  now: () => Date;
  /** The address of the hub the desk syncs with, or null when none is configured. */
  hubUrl: () => string | null;
  /** A stand-in for fetch (tests). */
  hubFetch?: HubFetch | undefined;
  /**
   * Takes the session the hub check opened, so the lead's tickets are pushed with it (the sync
   * client's per-operator sessions); true when taken. Without it, or when it says false, the session
   * is given back at once.
   */
  keepHubSession?: (operatorId: string, token: string) => boolean;
}

export class LeadCredentials {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly options: LeadCredentialsOptions) {}

  private read(): Stored {
    const stored = this.options.settings.get<Partial<Stored>>(KEY, {});
    return { pins: { ...(stored.pins ?? {}) }, hub: { ...(stored.hub ?? {}) } };
  }

  private write(stored: Stored): void {
    this.options.settings.set(KEY, stored);
  }

  /** Sets (or replaces) the PIN of one 工号; an administrator's act on this machine. */
  setPin(operatorId: string, pin: string): Result<{ operatorId: string }> {
    const problem = pinProblem(pin);
    if (problem) return fail('bad_request', problem);
    if (!/^[A-Za-z0-9]{2,16}$/.test(operatorId)) return fail('bad_request', '工号应为 2–16 位字母或数字');
    const stored = this.read();
    stored.pins[operatorId] = make(pin, this.options.now());
    this.write(stored);
    this.failures.delete(operatorId);
    return ok({ operatorId });
  }

  removePin(operatorId: string): boolean {
    const stored = this.read();
    if (!own(stored.pins, operatorId)) return false;
    delete stored.pins[operatorId];
    this.write(stored);
    return true;
  }

  /**
   * A desk that nobody has set up yet still needs one way into the lead view: the first start on a
   * fresh data folder gives 工号 FIRST_LEAD_ID a random PIN, written (0600) to `file` for whoever
   * started the desk (the launcher prints it). Nothing happens once any PIN or hub verifier exists.
   */
  bootstrap(file: string): { operatorId: string; pin: string } | null {
    const stored = this.read();
    if (Object.keys(stored.pins).length > 0 || Object.keys(stored.hub).length > 0 || existsSync(file)) return null;
    const pin = newPin();
    const set = this.setPin(FIRST_LEAD_ID, pin);
    if (!set.ok) return null;
    writeFileSync(file, `${firstLeadLine(FIRST_LEAD_ID, pin)}\n`, { mode: 0o600 });
    return { operatorId: FIRST_LEAD_ID, pin };
  }

  /** The 工号 that hold a PIN on this desk. */
  pinHolders(): string[] {
    return Object.keys(this.read().pins).sort();
  }

  /**
   * Whether this secret lets this 工号 in as 班长: its PIN; else the hub (when reachable); else a
   * verifier the hub confirmed within OFFLINE_DAYS. Refusals are `forbidden` (wrong or missing
   * credential, locked) with what to do, never which part was wrong.
   */
  async verify(operatorId: string, secret: string): Promise<Result<{ via: LeadVia }>> {
    const now = this.options.now().getTime();
    const locked = this.failures.get(operatorId);
    if (locked && locked.count >= MAX_FAILURES && locked.until > now) {
      return fail('forbidden', `工号 ${operatorId} 连续输错 ${MAX_FAILURES} 次，已暂停班长签到，请 ${Math.ceil((locked.until - now) / 60_000)} 分钟后再试`);
    }
    if (!secret) return fail('forbidden', '以班长身份签到需要输入中心账号密码或管理员设置的 PIN');
    const stored = this.read();
    const pin = own(stored.pins, operatorId);
    if (pin && matches(pin, secret)) return this.passed(operatorId, 'pin');

    const url = this.options.hubUrl();
    let reached = false;
    if (url) {
      // A client of its own: the sync client's session is the desk's, not this person's.
      const hub = createHubClient({ url, timeoutMs: 5_000, ...(this.options.hubFetch ? { fetch: this.options.hubFetch } : {}) });
      const login = await hub.login(operatorId, secret);
      reached = login.ok || login.error.kind !== 'unavailable';
      if (login.ok) {
        const lead = login.value.user.role === 'team_lead' || login.value.user.role === 'admin';
        // The session was only to check the password, unless the lead's tickets are to go with it.
        if (!lead || !this.options.keepHubSession?.(operatorId, login.value.token)) await hub.call('auth.logout', {});
        if (!lead) {
          return this.failed(operatorId, `中心账号 ${operatorId} 不是班长账号，不能以班长身份签到`);
        }
        stored.hub[operatorId] = make(secret, this.options.now());
        this.write(stored);
        return this.passed(operatorId, 'hub');
      }
    }
    if (!reached) {
      const cached = own(stored.hub, operatorId);
      const fresh = cached && now - new Date(cached.at).getTime() <= OFFLINE_DAYS * 86_400_000;
      if (cached && fresh && matches(cached, secret)) return this.passed(operatorId, 'cached');
      if (!pin && !fresh) {
        return this.failed(operatorId, `中心暂时无法连接，且本机没有工号 ${operatorId} 近 ${OFFLINE_DAYS} 天内的班长验证记录；请联网后签到，或请管理员为此工号设置 PIN`);
      }
    }
    return this.failed(operatorId, '工号或密码（PIN）不正确，未以班长身份签到');
  }

  private passed(operatorId: string, via: LeadVia): Result<{ via: LeadVia }> {
    this.failures.delete(operatorId);
    return ok({ via });
  }

  private failed(operatorId: string, message: string): Result<never> {
    const now = this.options.now().getTime();
    const prev = this.failures.get(operatorId);
    const count = prev && prev.until > now ? prev.count + 1 : 1;
    this.failures.set(operatorId, { count, until: now + LOCK_MS });
    return fail('forbidden', message);
  }
}
