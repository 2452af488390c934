import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../pagination.js';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** A Relay connection type for `node`, named `<name>Connection` with `<name>Edge` edges. */
export function connectionType<T extends { id: string }>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    private count!: () => Promise<number>;

    // Counted only when asked for: most pages do not need the extra statement.
    @Field(() => Int, { description: 'All matches, across pages.' })
    get totalCount(): Promise<number> {
      return this.count();
    }

    static from(page: Page<T>): Connection {
      const connection = new Connection();
      connection.edges = page.nodes.map((n) => Object.assign(new Edge(), { cursor: page.cursorOf(n), node: n }));
      connection.pageInfo = Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor });
      connection.count = page.totalCount;
      return connection;
    }
  }
  return Connection;
}
