/**
 * TLS (issue 16 item 10), on both drivers: given a certificate and key the hub speaks HTTPS only,
 * and a workspace sign-in over it gets Secure cookies; on an address other than loopback it refuses
 * to start without TLS unless told a TLS proxy stands in front. The certificate is a self-signed
 * one made at test time with openssl (node:crypto cannot make certificates).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../server/hub';
import { DRIVERS, PASSWORD, startTestHub } from './support';

let openssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  openssl = false;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(url: string, path: string, options: { ca?: Buffer; method?: string; body?: string } = {}): Promise<Reply> {
  const target = new URL(path, url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        ...(options.ca ? { ca: options.ca } : {}),
        headers: options.body ? { 'content-type': 'application/json' } : {},
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end(options.body);
  });
}

describe('loopback addresses', () => {
  it('knows which listen addresses stay on the machine', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5', 'hub.example.org']) expect(isLoopbackHost(host)).toBe(false);
  });
});

describe.skipIf(!openssl).each(DRIVERS)('hub TLS on %s', (driver) => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hotline-hub-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    key = readFileSync(join(dir, 'key.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with the given certificate, and nothing in plain HTTP on that port', async () => {
    const t = await startTestHub(driver, { tls: { cert, key } });
    try {
      expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const health = await call(t.url, '/health', { ca: cert });
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ ok: true, value: { db: driver } });
      // A client that does not trust the certificate is refused by TLS itself.
      await expect(call(t.url, '/health')).rejects.toThrow(/self[- ]signed|certificate/i);
      // Plain HTTP to the same port gets no answer a client could use.
      await expect(call(t.url.replace('https:', 'http:'), '/health')).rejects.toThrow();
      // A workspace sign-in over HTTPS sets Secure cookies.
      const signIn = await call(t.url, '/web/session', { ca: cert, method: 'POST', body: JSON.stringify({ username: 'op_a', password: PASSWORD }) });
      expect(signIn.status).toBe(200);
      const cookies = signIn.headers['set-cookie'] as string[];
      expect(cookies.length).toBe(2);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('refuses a non-loopback address without TLS, unless a TLS proxy is declared in front', async () => {
    await expect(startTestHub(driver, { host: '0.0.0.0' })).rejects.toThrow(/不在非本机地址（0\.0\.0\.0）上以明文 HTTP 提供服务.*HOTLINE_HUB_BEHIND_TLS_PROXY=1/);
    const proxied = await startTestHub(driver, { host: '0.0.0.0', behindTlsProxy: true });
    try {
      expect(proxied.url).toMatch(/^http:\/\//);
      expect((await call(`http://127.0.0.1:${proxied.hub.port}/`, '/health')).status).toBe(200);
    } finally {
      await proxied.close();
    }
    const secured = await startTestHub(driver, { host: '0.0.0.0', tls: { cert, key } });
    try {
      expect((await call(`https://127.0.0.1:${secured.hub.port}/`, '/health', { ca: cert })).status).toBe(200);
    } finally {
      await secured.close();
    }
  }, 60_000);
});
