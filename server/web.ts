/**
 * The hub's web workspace (web/, built to dist/web/ by scripts/build.mjs) and its sign-in.
 *
 * - `GET /` and the built files under it: the page, with a strict Content-Security-Policy (only the
 *   hub's own scripts, styles and calls), no framing, no sniffing. Hashed assets are cached, the
 *   page itself never. Nothing outside the build folder is ever served.
 * - `POST /web/session` {username, password}: signs in (auth.ts) and answers {user, csrf}; the
 *   session token goes only into the HttpOnly, SameSite=Strict cookie `hotline_session`, the CSRF
 *   token also into the readable cookie `hotline_csrf`. Call-takers are sent to their desk.
 * - `POST /web/logout`: ends the cookie's session (CSRF header required) and clears both cookies.
 * - The workspace then calls the same `POST /v1/<name>` API as everyone (http.ts): with the cookie
 *   instead of a bearer token, and the CSRF token in `x-csrf-token` on every call.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { mimeTypeOf, statusOf } from '../shared/api/http';
import { fail, ok, type Result } from '../shared/result';
import { attachCsrf, endSession, SESSION_HOURS, userForWebSession } from './auth';
import { guardedLogin, type LoginGuard } from './login-guard';
import type { Database } from './db';

export const SESSION_COOKIE = 'hotline_session';
export const CSRF_COOKIE = 'hotline_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The built workspace: the given folder, or the first `dist/web/` holding an index.html above this file. */
export function findWebDir(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'dist', 'web', 'index.html'))) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return null;
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && /^[A-Za-z0-9._~-]{1,200}$/.test(value) && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** The session cookie of a request, with the CSRF header it carries; null when it has no cookie session. */
export function webSessionOf(request: FastifyRequest): { token: string; csrf: string | null } | null {
  const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
  if (!token) return null;
  const header = request.headers[CSRF_HEADER];
  const csrf = typeof header === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(header) ? header : null;
  return { token, csrf };
}

function cookie(name: string, value: string, options: { httpOnly: boolean; maxAge: number; secure: boolean }): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${options.maxAge}`, 'SameSite=Strict', options.httpOnly ? 'HttpOnly' : '', options.secure ? 'Secure' : '']
    .filter(Boolean)
    .join('; ');
}

function sendJson(reply: FastifyReply, result: Result<unknown>): FastifyReply {
  return reply
    .code(statusOf(result))
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(JSON.stringify(result));
}

const LoginInput = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();

export interface WebOptions {
  db: Database;
  now: () => Date;
  /** dist/web; null: the page says the workspace has not been built. */
  webDir: string | null;
  /** Failed-login counting and lock-outs, shared with auth.login (login-guard.ts). */
  guard: LoginGuard;
}

export function registerWeb(app: FastifyInstance, { db, now, webDir, guard }: WebOptions): void {
  app.post('/web/session', async (request, reply) => {
    let input: unknown;
    try {
      input = typeof request.body === 'string' ? JSON.parse(request.body) : {};
    } catch {
      return sendJson(reply, fail('bad_request', '请求体不是有效的 JSON'));
    }
    const parsed = LoginInput.safeParse(input);
    if (!parsed.success) return sendJson(reply, fail('bad_request', '请输入用户名和密码'));
    const signed = await guardedLogin(db, guard, parsed.data.username, parsed.data.password, request.ip, now());
    if (!signed.ok) return sendJson(reply, signed);
    const session = signed.value;
    if (session.user.role === 'call_taker') {
      await endSession(db, session.token);
      return sendJson(reply, fail('forbidden', '话务员账号请在坐席端登录；工作台供分中心、承办单位和市中心使用'));
    }
    const csrf = await attachCsrf(db, session.token);
    const secure = request.protocol === 'https';
    const maxAge = SESSION_HOURS * 3600;
    reply.header('set-cookie', [
      cookie(SESSION_COOKIE, session.token, { httpOnly: true, maxAge, secure }),
      cookie(CSRF_COOKIE, csrf, { httpOnly: false, maxAge, secure }),
    ]);
    return sendJson(reply, ok({ user: session.user, csrf, expiresAt: session.expiresAt }));
  });

  app.post('/web/logout', async (request, reply) => {
    const web = webSessionOf(request);
    if (web) {
      const check = await userForWebSession(db, web.token, web.csrf, now());
      if ('refused' in check && check.refused === 'csrf') return sendJson(reply, fail('forbidden', '页面校验码不符（CSRF），未退出；请刷新页面'));
      await endSession(db, web.token);
    }
    const secure = request.protocol === 'https';
    reply.header('set-cookie', [cookie(SESSION_COOKIE, '', { httpOnly: true, maxAge: 0, secure }), cookie(CSRF_COOKIE, '', { httpOnly: false, maxAge: 0, secure })]);
    return sendJson(reply, ok({ signedOut: true }));
  });

  const root = webDir ? resolve(webDir) : null;
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.url.split('?')[0] ?? '/').replace(/^\/+/, '');
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return reply.code(400).send('地址不正确');
    }
    reply
      .header('content-security-policy', CSP)
      .header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (!root) {
      return reply
        .code(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send('<!doctype html><meta charset="utf-8"><title>接诉即办工作台</title><p>工作台尚未构建：请在程序目录运行 <code>npm run build</code> 后重启中心。</p>');
    }
    const file = decoded === '' || decoded === 'index.html' ? join(root, 'index.html') : normalize(join(root, decoded));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('没有这个文件');
    }
    const isPage = file === join(root, 'index.html');
    return reply
      .code(200)
      .header('content-type', mimeTypeOf(extname(file)))
      .header('cache-control', isPage ? 'no-store' : 'public, max-age=31536000, immutable')
      .send(readFileSync(file));
  };
  app.get('/', serve);
  app.get('/index.html', serve);
  app.get('/assets/*', serve);
  app.get('/favicon.svg', serve);
}
