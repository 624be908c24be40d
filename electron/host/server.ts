/**
 * The browser host: serves the built renderer and carries the desk contract over HTTP (POST /api)
 * and WebSocket (/events), bound to loopback only. A per-launch secret, injected into the page it
 * serves, must accompany every call; the Host and Origin headers must be this server's own, so
 * neither another local page nor a DNS-rebinding site can drive the desk.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { SECRET_HEADER, SECRET_META } from '../../shared/api/bridge';
import { createDispatcher } from '../../shared/api/dispatch';
import { deskCalls } from '../../shared/api/contract';
import { mimeTypeOf, statusOf } from '../../shared/api/http';
import { describeError } from '../../shared/errors';
import { fail, type Result } from '../../shared/result';
import type { Desk } from '../services/desk';
import { CONTENT_SECURITY_POLICY } from '../services/security';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HostOptions {
  desk: Desk;
  rendererDir: string;
  port?: number;
  secret?: string;
  log?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
  const log = options.log ?? (() => {});
  const rendererDir = resolve(options.rendererDir);
  const indexPath = join(rendererDir, 'index.html');
  if (!existsSync(indexPath)) {
    return Promise.reject(new Error(`找不到界面文件 ${indexPath}，请先运行 npm run build`));
  }
  const indexHtml = readFileSync(indexPath, 'utf8').replace(
    '</head>',
    `<meta name="${SECRET_META}" content="${secret}"></head>`,
  );
  const dispatch = createDispatcher(deskCalls, options.desk.handlers, (name, error) => log(`call ${name} failed: ${describeError(error)}`));
  let origin = '';
  let hostHeaders = new Set<string>();

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
        if (req.headers.origin && req.headers.origin !== origin) return sendResult(res, fail('forbidden', '不接受其他网页的调用'));
        if (!sameSecret(req.headers[SECRET_HEADER] as string | undefined, secret)) {
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
      serveStatic(url.pathname, res);
    } catch (error) {
      log(`request failed: ${describeError(error)}`);
      if (!res.headersSent) sendResult(res, fail('internal', '本机服务内部错误'));
    }
  });

  function serveStatic(pathname: string, res: ServerResponse): void {
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
    // The app's own pages (main window, side window): the shell with the secret.
    res.writeHead(200, {
      'content-type': mimeTypeOf('.html'),
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    res.end(indexHtml);
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
      req.headers.origin === origin &&
      sameSecret(url.searchParams.get('secret') ?? undefined, secret);
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
      resolvePromise({
        url: `${origin}/`,
        port,
        secret,
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
