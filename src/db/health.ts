import type { Orm } from './orm.js';

/** Runs a real round trip: the pool's own "connected" flag stays false until first use and says nothing then. */
export async function checkPostgres(orm: Orm): Promise<void> {
  await orm.em.getConnection().execute('select 1');
}
