/**
 * Users, passwords and sessions.
 *
 * - Passwords: scrypt (node:crypto) with a random 16-byte salt per password, stored as
 *   `scrypt$N$r$p$salt$hash` (base64url) so the cost can be raised later without breaking old
 *   hashes; compared with timingSafeEqual. N = 2^17, r = 8, p = 1 (128 MiB, current guidance); a
 *   successful login with a hash of a lower cost stores a new hash at today's cost. An unknown
 *   username costs the same scrypt run as a wrong password, so timing does not tell which usernames
 *   exist. HOTLINE_HUB_TEST_SCRYPT_LOG2N lowers the cost for the test suites only (never below 2^14).
 * - Sessions: `auth.login` hands out 32 random bytes (base64url) valid for 12 hours; the hub keeps
 *   only the token's sha256, so a copy of the database does not let anyone in. A user holds at most
 *   MAX_SESSIONS_PER_USER sessions (bearer and workspace cookie alike, one table): a new login drops
 *   the oldest. `auth.logout` ends the caller's session, `auth.changePassword` ends all the user's
 *   other sessions, `admin.revokeSessions` ends all of one user's sessions.
 * - Guessing: login-guard.ts backs off and locks per account and per address before any scrypt run.
 * - Users come from startHub's `users` option (the CLI reads a JSON file or HOTLINE_HUB_USERS) and
 *   are created when their username is missing; an existing user is left as it is (its password
 *   changes with `auth.changePassword`), except that `desk: true` marks it a desk's account
 *   (server/desk-access.ts).
 */
import { createHash, randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import type { HubUser } from '../shared/api/hub-contract';
import { ROLES } from '../shared/roles';
import { statement, type Sql } from './db';

export const SESSION_HOURS = 12;
/** A user's live sessions (desk, workspace, scripts together); a login beyond this drops the oldest. */
export const MAX_SESSIONS_PER_USER = 10;
/** scrypt cost: N = 2^17 (128 MiB with r = 8), r = 8, p = 1. */
export const SCRYPT_LOG2N = 17;
const SCRYPT = { r: 8, p: 1, keyLength: 32 };
/** The highest N a stored hash may ask for (a damaged row must not make the hub allocate gigabytes). */
const MAX_LOG2N = 20;

/** Today's N: 2^17, or what HOTLINE_HUB_TEST_SCRYPT_LOG2N says for the test suites (14..17). */
export function scryptN(): number {
  const test = Number(process.env.HOTLINE_HUB_TEST_SCRYPT_LOG2N);
  const log2 = Number.isInteger(test) && test >= 14 && test <= SCRYPT_LOG2N ? test : SCRYPT_LOG2N;
  return 2 ** log2;
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; allow that plus room (Node's default maxmem is 32 MiB).
  const maxmem = 128 * (options.N ?? 1) * (options.r ?? 8) + 32 * 1024 * 1024;
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, keyLength, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, n: number = scryptN()): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: n, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', n, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A stored hash that matches nothing, for the unknown-username path (same cost as a real check). */
const dummyHash = () => `scrypt$${scryptN()}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts;
  const N = Number(n);
  if (!Number.isInteger(N) || N < 2 || N > 2 ** MAX_LOG2N || (N & (N - 1)) !== 0 || Number(r) !== SCRYPT.r || Number(p) !== SCRYPT.p) return false;
  const expected = Buffer.from(keyText!, 'base64url');
  const key = await scrypt(password, Buffer.from(saltText!, 'base64url'), expected.length, { N, r: SCRYPT.r, p: SCRYPT.p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made at a lower cost than today's (rehashed at the next login). */
export function needsRehash(stored: string): boolean {
  const parts = stored.split('$');
  return parts[0] === 'scrypt' && Number(parts[1]) < scryptN();
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A user as startHub's option (and the users JSON file) gives it. */
export const HubUserSeed = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(8, '密码至少 8 位').max(200),
    name: z.string().trim().min(1).max(50),
    role: z.enum(ROLES),
    unitCode: z.string().min(1).max(20).nullable().optional(),
    /** A desk's account (server/desk-access.ts): pushes for the operators signed in at the desk, marked unverified. */
    desk: z.boolean().optional(),
  })
  .strict()
  .refine((u) => u.role !== 'unit_operator' || !!u.unitCode, { message: '承办单位操作员（unit_operator）必须写明 unitCode', path: ['unitCode'] });
export type HubUserSeed = z.input<typeof HubUserSeed>;
export const HubUserSeeds = z.array(HubUserSeed);

interface UserRow {
  id: string;
  username: string;
  name: string;
  role: HubUser['role'];
  unit_code: string | null;
  password_hash: string;
}

/** A session's user as read with it: the account and whether it is a desk account. */
export type SessionUserRow = Omit<UserRow, 'password_hash'> & { desk_account: boolean };

const toUser = (row: Omit<UserRow, 'password_hash'>): HubUser => ({
  id: row.id,
  username: row.username,
  name: row.name,
  role: row.role,
  unitCode: row.unit_code,
});

/**
 * N for a password the hub generated itself (72+ random bits, e.g. admin.unitAccounts): guessing
 * it is hopeless at any cost, and hundreds of accounts made in one call stay quick. It is hashed
 * again at today's cost at its first login.
 */
export const GENERATED_PASSWORD_N = 2 ** 14;

/** Creates each user whose username is not there yet (hashed at N = `n`); returns the usernames created. */
export async function ensureUsers(db: Sql, seeds: readonly HubUserSeed[], now: Date, n: number = scryptN()): Promise<string[]> {
  const created: string[] = [];
  for (const raw of seeds) {
    const seed = HubUserSeed.parse(raw);
    const exists = await db.query('SELECT 1 FROM users WHERE username = $1', [seed.username]);
    if (exists.length) {
      // A seed may make an existing account a desk's (the desk's own account file at an upgrade), never the reverse.
      if (seed.desk) await db.query('UPDATE users SET desk_account = true WHERE username = $1 AND NOT desk_account', [seed.username]);
      continue;
    }
    const inserted = await db.query(
      `INSERT INTO users (id, username, name, role, unit_code, password_hash, created_at, desk_account)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (username) DO NOTHING RETURNING id`,
      [randomUUID(), seed.username, seed.name, seed.role, seed.role === 'unit_operator' ? seed.unitCode! : (seed.unitCode ?? null), await hashPassword(seed.password, n), now.toISOString(), seed.desk === true],
    );
    if (inserted.length) created.push(seed.username);
  }
  return created;
}

export async function countUsers(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return row?.n ?? 0;
}

export interface Session {
  token: string;
  user: HubUser;
  expiresAt: string;
}

/** Checks a username and password; on success stores a new session. Null when they do not match. */
export async function login(db: Sql, username: string, password: string, now: Date): Promise<Session | null> {
  const [row] = await db.query<UserRow>('SELECT id, username, name, role, unit_code, password_hash FROM users WHERE username = $1', [username]);
  const matches = await verifyPassword(password, row?.password_hash ?? dummyHash());
  if (!row || !matches) return null;
  if (needsRehash(row.password_hash)) {
    // Only if nobody changed it meanwhile.
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [row.id, await hashPassword(password), row.password_hash]);
  }
  return openSession(db, toUser(row), now);
}

/** Stores a new session for the user, dropping expired ones and the user's oldest beyond the cap. */
async function openSession(db: Sql, user: HubUser, now: Date): Promise<Session> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await db.query('DELETE FROM sessions WHERE expires_at <= $1', [now.toISOString()]);
  await db.query('INSERT INTO sessions (token_sha256, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    tokenHash(token),
    user.id,
    now.toISOString(),
    expiresAt,
  ]);
  await db.query(
    `DELETE FROM sessions WHERE user_id = $1 AND token_sha256 NOT IN (
       SELECT token_sha256 FROM sessions WHERE user_id = $1 ORDER BY seq DESC LIMIT $2)`,
    [user.id, MAX_SESSIONS_PER_USER],
  );
  return { token, user, expiresAt };
}

/** Ends every session of a user except `keepToken`'s; returns how many ended. */
export async function revokeSessions(db: Sql, userId: string, keepToken: string | null = null): Promise<number> {
  const rows = await db.query('DELETE FROM sessions WHERE user_id = $1 AND token_sha256 <> $2 RETURNING 1', [userId, keepToken ? tokenHash(keepToken) : '']);
  return rows.length;
}

/** The user's id by username, or null. */
export async function userIdOf(db: Sql, username: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username]);
  return row?.id ?? null;
}

/**
 * Changes a user's password after checking the current one; ends all the user's other sessions.
 * Null when the current password does not match.
 */
export async function changePassword(db: Sql, userId: string, current: string, next: string, keepToken: string | null): Promise<{ revoked: number } | null> {
  const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [userId]);
  if (!row || !(await verifyPassword(current, row.password_hash))) return null;
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, await hashPassword(next)]);
  return { revoked: await revokeSessions(db, userId, keepToken) };
}

/**
 * Whether each user userForToken answered is a desk's account (users.desk_account), read in the same
 * query as the session: a desk's every pull and push asks (server/desk-access.ts isDeskAccount), and
 * one round trip fewer per request counts with 2,000 desks (bench/load.bench.ts). Kept beside the
 * object, not in it, so no reply carries it.
 */
const deskAccountOf = new WeakMap<HubUser, boolean>();

/** users.desk_account of a user userForToken answered for this request; undefined for any other. */
export function knownDeskAccount(user: HubUser): boolean | undefined {
  return deskAccountOf.get(user);
}

const USER_FOR_TOKEN = statement(
  'user_for_token',
  `SELECT u.id, u.username, u.name, u.role, u.unit_code, u.desk_account
     FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_sha256 = $1 AND s.expires_at > $2`,
);

/** The user a bearer token belongs to, or null when it is unknown or has expired. */
export async function userForToken(db: Sql, token: string, now: Date): Promise<HubUser | null> {
  const [row] = await db.query<SessionUserRow>(USER_FOR_TOKEN, [tokenHash(token), now.toISOString()]);
  return row ? sessionUser(row) : null;
}

/** The user of a session row read with users.desk_account (here, or by a call that checks its session in its own statement). */
export function sessionUser(row: SessionUserRow): HubUser {
  const user = toUser(row);
  deskAccountOf.set(user, row.desk_account === true);
  return user;
}

// ---- Web sessions (the workspace, web/) ------------------------------------------------------
//
// The workspace signs in through server/web.ts: the session token goes into an HttpOnly,
// SameSite=Strict cookie the page's scripts cannot read, and a second random value, the CSRF token,
// into a cookie they can (and into the login answer). The hub keeps the sha256 of both; every call
// made with the cookie must carry the CSRF token in the `x-csrf-token` header, which a page of
// another site can neither read nor forge. Bearer tokens (desks, hub:sim) need no CSRF token: no
// browser sends them by itself.

/** Gives a session just made a CSRF token; returns it. */
export async function attachCsrf(db: Sql, token: string): Promise<string> {
  const csrf = randomBytes(24).toString('base64url');
  await db.query('UPDATE sessions SET csrf_sha256 = $2 WHERE token_sha256 = $1', [tokenHash(token), tokenHash(csrf)]);
  return csrf;
}

export type WebSessionCheck = { user: HubUser } | { refused: 'expired' | 'csrf' };

/** The user of a cookie session whose CSRF token matches; `expired` when the session is gone. */
export async function userForWebSession(db: Sql, token: string, csrf: string | null, now: Date): Promise<WebSessionCheck> {
  const [row] = await db.query<Omit<UserRow, 'password_hash'> & { csrf_sha256: string | null }>(
    `SELECT u.id, u.username, u.name, u.role, u.unit_code, s.csrf_sha256
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_sha256 = $1 AND s.expires_at > $2`,
    [tokenHash(token), now.toISOString()],
  );
  if (!row) return { refused: 'expired' };
  if (!csrf || !row.csrf_sha256) return { refused: 'csrf' };
  const given = Buffer.from(tokenHash(csrf), 'hex');
  const stored = Buffer.from(row.csrf_sha256, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return { refused: 'csrf' };
  return { user: toUser(row) };
}

export async function endSession(db: Sql, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_sha256 = $1', [tokenHash(token)]);
}
