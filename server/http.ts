/**
 * The hub's HTTP face (Fastify 5). Routes are generated from `hubCalls`: `POST /v1/<call name>` with
 * the call's input as the JSON body; every reply is a Result envelope with a status code that fits
 * its kind. `GET /health` answers `{ ok: true, value: { db, version } }` once the database answers.
 *
 * A request goes through, in order:
 * 1. onRequest (before any body is read): the call must exist (else unknown_call, 404); a
 *    non-public call needs `Authorization: Bearer <token>` of a live session — or the workspace's
 *    session cookie with its CSRF token in `x-csrf-token` (web.ts; a missing or wrong one is
 *    forbidden) — (else unauthorized, 401) whose user has one of the call's roles (else
 *    forbidden, 403). So an anonymous client cannot make the hub read, let alone parse, a large body.
 * 2. The body: only `application/json` (else 415, bad_request), at most MAX_HUB_BODY_BYTES (else
 *    413, too_large — Fastify stops reading past the limit), valid JSON (else 400, bad_request). An
 *    empty body reads as `{}`.
 * 3. createDispatcher (shared/api/dispatch.ts): the input is checked against the call's zod schema
 *    (bad_request with the field paths) and a throw becomes `internal` (500), logged. Nothing a
 *    client sends can crash the process, and a refused request has written nothing: every write
 *    happens inside a handler after all checks, in one transaction.
 * What a database or a library says goes to the log, never into a reply.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createDispatcher } from '../shared/api/dispatch';
import { hubCalls, MAX_HUB_BODY_BYTES, type HubCallSpec, type HubUser } from '../shared/api/hub-contract';
import { statusOf } from '../shared/api/http';
import { describeError } from '../shared/errors';
import { fail, ok, type Result } from '../shared/result';
import { userForToken, userForWebSession } from './auth';
import type { Database } from './db';
import { createHubHandlers, EXPIRED_TOKEN, isTransientDatabaseError, refusedRole, type HandlerDeps } from './handlers';
import { registerWeb, webSessionOf } from './web';
import { registerOpen311 } from './open311';

export interface HttpOptions extends HandlerDeps {
  db: Database;
  version: string;
  log: (line: string) => void;
  /** The built workspace (dist/web), served at `/`; null when it has not been built. */
  webDir?: string | null;
  /** Serve HTTPS with this certificate and key (PEM); omitted: plain HTTP. */
  tls?: { cert: Buffer | string; key: Buffer | string } | null;
  /**
   * A TLS proxy stands in front: its X-Forwarded-For / X-Forwarded-Proto are believed (the client's
   * address for the login guard, https for the cookies). Only safe when nothing else can reach the hub.
   */
  behindTlsProxy?: boolean;
  /** Where resources/ lives: Open311's services come from its catalogue when none is published (server/open311.ts). */
  resourcesDir?: string | null;
}

const MAX_TOKEN_CHARS = 200;

function send(reply: FastifyReply, result: Result<unknown>, status?: number): FastifyReply {
  return reply
    .code(status ?? statusOf(result))
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(JSON.stringify(result));
}

/**
 * Calls that check a bearer token's session in their own statement, after their input is read
 * (handlers.ts): a desk's pull, 400 a second with 2,000 desks, in one round trip to the database
 * instead of two (docs/scale.md). A missing token is still refused here.
 */
const CHECKS_OWN_SESSION = new Set<string>(['tickets.pull']);

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return match && match[1]!.length <= MAX_TOKEN_CHARS ? match[1]! : null;
}

export function buildHttpServer(options: HttpOptions) {
  const { db, log, now } = options;
  const app = Fastify({
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    trustProxy: options.behindTlsProxy === true,
    logger: false,
    bodyLimit: MAX_HUB_BODY_BYTES,
    requestTimeout: 120_000,
    forceCloseConnections: true,
    return503OnClosing: true,
    // A path with broken percent-encoding: a Result like every other refusal, not Fastify's own shape.
    frameworkErrors: (error, _request, reply) => {
      log(`地址无效：${error.message}`);
      void send(reply, fail('bad_request', '地址格式不正确（百分号编码有误）'));
    },
  });

  const users = new WeakMap<FastifyRequest, HubUser>();
  const tokens = new WeakMap<FastifyRequest, string>();
  /** Bearer tokens of calls that check their session themselves (CHECKS_OWN_SESSION). */
  const unchecked = new WeakMap<FastifyRequest, string>();
  const dispatch = createDispatcher(hubCalls, createHubHandlers(options), (name, error) =>
    log(`调用 ${name} 出错：${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );

  // Bodies are read as text and parsed by the route, so malformed JSON gets the hub's own message.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: { code?: string; statusCode?: number; message?: string }, _request, reply) => {
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, fail('too_large', `请求过大（超过 ${MAX_HUB_BODY_BYTES / 1024 / 1024} MB），未处理`));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, fail('bad_request', '请求体必须是 JSON（Content-Type: application/json）'), 415);
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, fail('bad_request', '请求长度与声明的不一致'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      log(`请求无效（${error.statusCode}）：${error.message ?? ''}`);
      return send(reply, fail('bad_request', '请求无效'), error.statusCode);
    }
    log(`请求处理出错：${error.message ?? String(error)}`);
    return send(reply, fail('internal', '中心内部错误'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/v1/')) {
      let name: string;
      try {
        name = decodeURIComponent(path.slice(4));
      } catch {
        return send(reply, fail('bad_request', '地址中的百分号编码不正确'));
      }
      if (Object.hasOwn(hubCalls, name)) return send(reply, fail('bad_request', `“${name}”只接受 POST 请求`), 405);
      return send(reply, fail('unknown_call', `中心没有名为“${name.slice(0, 100)}”的接口`));
    }
    return send(reply, fail('not_found', `没有这个地址：${request.method} ${path.slice(0, 200)}`));
  });

  app.get('/health', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return send(reply, ok({ db: db.kind, version: options.version }));
    } catch (error) {
      log(`健康检查：数据库不可用：${describeError(error)}`);
      return send(reply, fail('unavailable', '数据库不可用'));
    }
  });

  registerWeb(app, { db, now, webDir: options.webDir ?? null, guard: options.guard });
  registerOpen311(app, { db, now, log, directory: options.directory, resourcesDir: options.resourcesDir ?? null });

  for (const [name, spec] of Object.entries(hubCalls) as Array<[string, HubCallSpec]>) {
    app.post(`/v1/${name}`, {
      onRequest: async (request, reply) => {
        if (spec.roles === 'public') return;
        const token = bearerToken(request);
        const web = token ? null : webSessionOf(request);
        if (!token && !web) return send(reply, fail('unauthorized', '缺少登录令牌（Authorization: Bearer …），请先登录'));
        if (token && CHECKS_OWN_SESSION.has(name)) {
          unchecked.set(request, token);
          return;
        }
        let user: HubUser | null;
        try {
          if (token) user = await userForToken(db, token, now());
          else {
            const check = await userForWebSession(db, web!.token, web!.csrf, now());
            if ('refused' in check && check.refused === 'csrf') return send(reply, fail('forbidden', '页面校验码（CSRF）缺失或不符，请求未处理；请刷新页面'));
            user = 'user' in check ? check.user : null;
          }
        } catch (error) {
          if (!isTransientDatabaseError(error)) throw error;
          return send(reply, fail('unavailable', '中心数据库暂不可用，请稍后重试'));
        }
        if (!user) return send(reply, fail('unauthorized', token ? EXPIRED_TOKEN : '登录已过期，请重新登录'));
        const refused = refusedRole(spec, user);
        if (refused) return send(reply, refused);
        users.set(request, user);
        tokens.set(request, token ?? web!.token);
      },
      handler: async (request, reply) => {
        let input: unknown = {};
        const body = request.body;
        if (typeof body === 'string' && body.trim() !== '') {
          try {
            input = JSON.parse(body);
          } catch {
            return send(reply, fail('bad_request', '请求体不是有效的 JSON'));
          }
        }
        const uncheckedToken = unchecked.get(request);
        return send(
          reply,
          await dispatch({ name, input }, { user: users.get(request) ?? null, address: request.ip, token: tokens.get(request) ?? uncheckedToken ?? null, ...(uncheckedToken ? { uncheckedToken } : {}) }),
        );
      },
    });
  }
  return app;
}
