// Starts a server on a free port of the loopback interface for one test file, and stops it without waiting for
// clients' keep-alive connections (fetch keeps them open) to time out.
import type { Server } from 'node:http';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function startServer(server: Server, protocol: 'http' | 'https' = 'http'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve({
        url: `${protocol}://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
