// Chooses plain HTTP or HTTPS for the API. TLS is optional because most deployments end it at a load balancer;
// serving it here is for setups without one. The certificate and key are read once at start: a file that cannot
// be read, or does not hold a usable key pair, stops the start with a message naming it instead of failing on the
// first client connection. Rotating them means restarting the process.
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export function createHttpOrHttpsServer(app: RequestListener, tls: TlsFiles | null): Server {
  if (!tls) return createServer(app);
  const cert = readTlsFile(tls.certFile, 'certificate');
  const key = readTlsFile(tls.keyFile, 'private key');
  try {
    // An https.Server is an http.Server for everything the API uses (request, upgrade, listen, close).
    return createHttpsServer({ cert, key }, app);
  } catch (error) {
    throw new Error(`cannot use TLS certificate ${tls.certFile} with key ${tls.keyFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function readTlsFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read TLS ${what} file ${file}: ${(error as Error).message}`, { cause: error });
  }
}
