import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpOrHttpsServer } from '../../../src/http/listen.js';
import { startServer } from './startServer.js';

const hello = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`hello ${req.url}`);
};

/** GET over HTTPS trusting the self-signed test certificate, reporting the certificate the server presented. */
function httpsGet(url: string): Promise<{ status: number; body: string; certificateCN: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const certificate = (res.socket as TLSSocket).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, certificateCN: certificate.subject?.CN }));
    }).on('error', reject);
  });
}

describe('createHttpOrHttpsServer', () => {
  let dir: string;
  let certFile: string;
  let keyFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'billing-tls-'));
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'pipe' },
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate when TLS files are set', async () => {
    const server = createHttpOrHttpsServer(hello, { certFile, keyFile });
    expect(server).toBeInstanceOf(HttpsServer);
    const running = await startServer(server, 'https');
    try {
      const response = await httpsGet(`${running.url}/secure`);
      expect(response).toEqual({ status: 200, body: 'hello /secure', certificateCN: 'localhost' });
      // Plain HTTP on the same port is not served.
      await expect(fetch(running.url.replace('https:', 'http:'))).rejects.toThrow();
    } finally {
      await running.close();
    }
  });

  it('serves plain HTTP without TLS files', async () => {
    const server = createHttpOrHttpsServer(hello, null);
    expect(server).not.toBeInstanceOf(HttpsServer);
    const running = await startServer(server);
    try {
      const response = await fetch(`${running.url}/plain`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('hello /plain');
    } finally {
      await running.close();
    }
  });

  it('fails at creation, naming the file, when the certificate or key cannot be read', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => createHttpOrHttpsServer(hello, { certFile: missing, keyFile })).toThrow(
      `cannot read TLS certificate file ${missing}: ENOENT`,
    );
    expect(() => createHttpOrHttpsServer(hello, { certFile, keyFile: missing })).toThrow(
      `cannot read TLS private key file ${missing}: ENOENT`,
    );
  });

  it('fails at creation, naming both files, when they do not hold a usable key pair', () => {
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key\n');
    expect(() => createHttpOrHttpsServer(hello, { certFile, keyFile: garbage })).toThrow(
      `cannot use TLS certificate ${certFile} with key ${garbage}: `,
    );
  });
});
