// The webhook signing key and its self-signed X.509 certificate.
//
// node:crypto can make keys (generateKeyPairSync) but not certificates, and the sandbox takes no npm dependency,
// so the pair comes from the openssl command line, run once per process into a private temporary directory:
//   openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=paypal-sandbox -days 30 -keyout key.pem -out cert.pem
// The directory is removed straight after; key and certificate live in memory only. The pair is checked with
// X509Certificate.checkPrivateKey before use.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SigningMaterial {
  certificatePem: string;
  certificate: X509Certificate;
  privateKey: KeyObject;
}

let cached: SigningMaterial | undefined;

export function signingMaterial(): SigningMaterial {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'paypal-sandbox-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=paypal-sandbox', '-days', '30'].concat([
          '-keyout',
          keyFile,
          '-out',
          certFile,
        ]),
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    } catch (error) {
      throw new Error(
        'paypal sandbox: could not generate the webhook signing certificate with openssl (is it on PATH?)',
        { cause: error },
      );
    }
    const certificatePem = readFileSync(certFile, 'utf8');
    const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
    const certificate = new X509Certificate(certificatePem);
    if (!certificate.checkPrivateKey(privateKey)) throw new Error('paypal sandbox: certificate does not match its key');
    cached = { certificatePem, certificate, privateKey };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
