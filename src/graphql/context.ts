import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkflowStarter } from '../billing/subscribe.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GraphQLContext {
  /** A fresh identity map for this request. */
  em: EntityManager;
  loaders: Loaders;
  temporal: WorkflowStarter;
  /** The client's Idempotency-Key header, if any. */
  idempotencyKey: string | null;
}

export interface ContextDependencies {
  em: EntityManager;
  temporal: WorkflowStarter;
}

export function createContext(deps: ContextDependencies, idempotencyKey: string | null = null): GraphQLContext {
  const em = deps.em.fork();
  return { em, loaders: createLoaders(em), temporal: deps.temporal, idempotencyKey };
}
