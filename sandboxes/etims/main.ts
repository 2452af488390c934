/**
 * Runs the eTIMS stand-in as a standalone HTTP server on 127.0.0.1 (see README.md next to this file).
 *
 *   ETIMS_SANDBOX_PORT   port to listen on (default 4030; 0 picks a free one)
 *   ETIMS_CMC_KEY        the communication key it insists on (default: any key is accepted)
 */
import { startEtimsSandbox } from './server.js';
import { closeOnSignals } from '../lib/closeOnSignals.js';

const raw = process.env.ETIMS_SANDBOX_PORT?.trim();
const port = raw ? Number(raw) : 4030;
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  throw new Error(`ETIMS_SANDBOX_PORT must be a port number, got "${raw}"`);
}

const sandbox = await startEtimsSandbox({ port, cmcKey: process.env.ETIMS_CMC_KEY || undefined });
console.log(`eTIMS stand-in listening on ${sandbox.url} (POST /trnsSales/saveSales)`);

closeOnSignals('eTIMS stand-in', () => sandbox.close());
