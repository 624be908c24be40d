/**
 * The browser host: serves the built renderer and carries the desk contract over HTTP (POST /api)
 * and WebSocket (/events), bound to loopback only. The page it serves carries no secret: the launch
 * URL (`/?launch=<token>`, printed and opened by electron/host/main.ts) hands a per-launch secret to
 * the browser once, as an HttpOnly, SameSite=Strict cookie, and redirects to the same page without
 * the token. Every call and the event socket need that cookie; the Host and Origin headers must be
 * this server's own (127.0.0.1 or localhost, this port), so neither another local page nor a
 * DNS-rebinding site can drive the desk. A page opened without the launch URL gets a short notice.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { LAUNCH_PARAM, sessionCookieName } from '../../shared/api/bridge';
import { createDispatcher } from '../../shared/api/dispatch';
import { deskCalls } from '../../shared/api/contract';
import { mimeTypeOf, statusOf } from '../../shared/api/http';
import { describeError } from '../../shared/errors';
import { fail, type Result } from '../../shared/result';
import type { Desk } from '../services/desk';
import { contentDisposition } from '../services/lead/center-export';
import { CONTENT_SECURITY_POLICY } from '../services/security';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HostOptions {
  desk: Desk;
  rendererDir: string;
  port?: number;
  /** The session secret the cookie carries (random per launch unless given). */
  secret?: string;
  /** The token of the launch URL (random per launch unless given). */
  launchToken?: string;
  log?: (line: string) => void;
}

export interface RunningHost {
  /** The page's address without any credential (`http://127.0.0.1:PORT/`). */
  url: string;
  /** The address to open the desk with: sets the session cookie once, then redirects to `url`. */
  launchUrl: string;
  port: number;
  secret: string;
  /** The cookie that carries `secret` (named per port, so two desks on one machine never mix). */
  cookieName: string;
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

const NOT_LAUNCHED_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>接诉即办坐席工作台</title></head>
<body><h1>请使用坐席程序给出的启动地址打开</h1>
<p>为保护市民信息，本页面只接受带启动凭据的地址（启动坐席服务时在窗口中显示，形如 <code>http://127.0.0.1:端口/?launch=…</code>）。</p>
<p>如果找不到该地址，请重新启动坐席服务。</p></body></html>`;

function sendResult(res: ServerResponse, result: Result<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(statusOf(result), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Result<string>> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        resolvePromise(fail('too_large', `请求过大（超过 ${MAX_BODY_BYTES / 1024} KB）`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolvePromise({ ok: true, value: Buffer.concat(chunks).toString('utf8') });
      done = true;
    });
    req.on('error', (error) => {
      if (!done) resolvePromise(fail('bad_request', '读取请求失败'));
      done = true;
    });
  });
}

export function startHost(options: HostOptions): Promise<RunningHost> {
  const secret = options.secret ?? randomBytes(32).toString('hex');
  const launchToken = options.launchToken ?? randomBytes(32).toString('hex');
  const log = options.log ?? (() => {});
  const rendererDir = resolve(options.rendererDir);
  const indexPath = join(rendererDir, 'index.html');
  if (!existsSync(indexPath)) {
    return Promise.reject(new Error(`找不到界面文件 ${indexPath}，请先运行 npm run build`));
  }
  const indexHtml = readFileSync(indexPath, 'utf8');
  const dispatch = createDispatcher(deskCalls, options.desk.handlers, (name, error) => log(`call ${name} failed: ${describeError(error)}`));
  let origin = '';
  let hostHeaders = new Set<string>();
  let origins = new Set<string>();
  let cookieName = '';
  const hasSession = (req: IncomingMessage) => sameSecret(cookieValue(req.headers.cookie, cookieName), secret);

  const server = createServer(async (req, res) => {
    try {
      if (!req.headers.host || !hostHeaders.has(req.headers.host)) {
        sendResult(res, fail('forbidden', '只接受本机地址的访问'));
        return;
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', origin);
        decodeURIComponent(url.pathname);
      } catch {
        return sendResult(res, fail('bad_request', '地址格式不正确'));
      }
      if (url.pathname === '/api') {
        if (req.method !== 'POST') return sendResult(res, fail('bad_request', '请使用 POST 调用接口'));
        if (req.headers.origin && !origins.has(req.headers.origin)) return sendResult(res, fail('forbidden', '不接受其他网页的调用'));
        if (!hasSession(req)) {
          req.resume();
          return sendResult(res, fail('unauthorized', '缺少或错误的访问密钥'));
        }
        const body = await readBody(req);
        if (!body.ok) return sendResult(res, body);
        let message: unknown;
        try {
          message = JSON.parse(body.value);
        } catch {
          return sendResult(res, fail('bad_request', '请求不是有效的 JSON'));
        }
        return sendResult(res, await dispatch(message, { transport: 'http' }));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendResult(res, fail('bad_request', '不支持的请求方法'));
      if (url.pathname.startsWith('/exports/')) {
        // A finished center-wide export (lead.exportStart), streamed from disk as a download.
        if (!hasSession(req)) return sendResult(res, fail('unauthorized', '缺少或错误的访问密钥'));
        const file = options.desk.exportFile(url.pathname.slice('/exports/'.length));
        if (!file) return sendResult(res, fail('not_found', '导出文件不存在或尚未完成'));
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-length': statSync(file.path).size,
          'content-disposition': contentDisposition(file.fileName),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file.path).pipe(res);
        return;
      }
      const launch = url.searchParams.get(LAUNCH_PARAM);
      if (launch !== null) {
        // The launch URL: the secret goes into the cookie once and the token leaves the address bar.
        if (!sameSecret(launch, launchToken)) return sendPage(res, 401, NOT_LAUNCHED_PAGE);
        url.searchParams.delete(LAUNCH_PARAM);
        res.writeHead(303, {
          location: `${url.pathname}${url.search}`,
          'set-cookie': `${cookieName}=${secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${7 * 24 * 3600}`,
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        });
        res.end();
        return;
      }
      serveStatic(url.pathname, req, res);
    } catch (error) {
      log(`request failed: ${describeError(error)}`);
      if (!res.headersSent) sendResult(res, fail('internal', '本机服务内部错误'));
    }
  });

  function sendPage(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, {
      'content-type': mimeTypeOf('.html'),
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    res.end(html);
  }

  function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse): void {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = resolve(rendererDir, relative);
    const isAsset = relative !== '' && file.startsWith(rendererDir + sep) && existsSync(file) && statSync(file).isFile();
    if (isAsset && !file.endsWith('index.html')) {
      res.writeHead(200, {
        'content-type': mimeTypeOf(extname(file)),
        'cache-control': relative.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      createReadStream(file).pipe(res);
      return;
    }
    if (extname(relative) !== '' && relative !== 'index.html') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('未找到');
      return;
    }
    // The app's own pages (main window, side window), for a browser that came through the launch URL.
    if (!hasSession(req)) return sendPage(res, 401, NOT_LAUNCHED_PAGE);
    sendPage(res, 200, indexHtml);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      url = null;
    }
    const allowed =
      !!url &&
      url.pathname === '/events' &&
      !!req.headers.host &&
      hostHeaders.has(req.headers.host) &&
      !!req.headers.origin &&
      origins.has(req.headers.origin) &&
      hasSession(req);
    if (!allowed) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });
  const unsubscribe = options.desk.subscribe((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      origin = `http://127.0.0.1:${port}`;
      hostHeaders = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
      origins = new Set([...hostHeaders].map((h) => `http://${h}`));
      cookieName = sessionCookieName(port);
      resolvePromise({
        url: `${origin}/`,
        launchUrl: `${origin}/?${LAUNCH_PARAM}=${launchToken}`,
        port,
        secret,
        cookieName,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const ws of sockets) ws.terminate();
            wss.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
