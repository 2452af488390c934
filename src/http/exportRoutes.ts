// GET /admin/export/<list>.csv?<the list's filters>: the admin console's "Export CSV" (docs/admin-api.md). The
// console sends its access token as `Authorization: Bearer`, as it does to /graphql. Refusals come before the first
// byte, as JSON `{ error }` with 401, 403 or 400; once the file has started, a failure cuts the response short (the
// file then lacks its end, and a client sees the transfer fail rather than a file that looks complete).
import { once } from 'node:events';
import express, { type Router } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CallerResolver } from '../auth/resolveCaller.js';
import { InvalidCredentialsError } from '../auth/resolveCaller.js';
import { prepareCsvExport } from '../exports/streamListCsv.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../kernel/errors.js';
import { processLog } from '../logger.js';

export function exportRoutes(options: { em: EntityManager; callers: CallerResolver }): Router {
  const router = express.Router();
  router.get('/admin/export/:list.csv', async (req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-store');
    let prepared;
    try {
      const caller = await options.callers.resolve({ authorization: req.headers.authorization ?? null });
      prepared = prepareCsvExport(options.em.fork(), caller, req.params.list, req.query as Record<string, unknown>);
    } catch (error) {
      if (error instanceof InvalidCredentialsError || error instanceof UnauthenticatedError) {
        res.status(401).json({ error: error.message });
      } else if (error instanceof ForbiddenError) res.status(403).json({ error: error.message });
      else if (error instanceof ValidationError) res.status(400).json({ error: error.message, fields: error.fields });
      else next(error);
      return;
    }
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${prepared.list}-${day}.csv"`);
    let closed = false;
    res.on('close', () => (closed = true));
    const write = async (chunk: string) => {
      // Backpressure: wait until the socket took what was written before fetching more rows.
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    };
    try {
      await prepared.run(write, () => closed);
      res.end();
    } catch (error) {
      processLog().error(
        `CSV export of ${prepared.list} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      res.destroy(error instanceof Error ? error : undefined);
    }
  });
  return router;
}
