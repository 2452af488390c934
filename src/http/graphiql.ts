// An offline GraphQL IDE: GraphiQL and React served from node_modules, nothing loaded from the internet.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const GRAPHIQL_ASSETS_PATH = '/_graphiql';

export function graphiqlAssets(): Router {
  const router = express.Router();
  const files: Record<string, string> = {
    'react.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
    'react-dom.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
    'graphql-ws.js': join(packageDir('graphql-ws'), 'umd', 'graphql-ws.min.js'),
  };
  for (const [name, file] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file, { maxAge: '1h' }));
  }
  return router;
}

export function graphiqlPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Billing API · GraphiQL</title>
  <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="${GRAPHIQL_ASSETS_PATH}/react.js"></script>
  <script src="${GRAPHIQL_ASSETS_PATH}/react-dom.js"></script>
  <script src="${GRAPHIQL_ASSETS_PATH}/graphql-ws.js"></script>
  <script src="${GRAPHIQL_ASSETS_PATH}/graphiql.js"></script>
  <script>
    const url = new URL(${JSON.stringify(endpoint)}, location.href);
    const wsUrl = url.href.replace(/^http/, 'ws');
    // The Headers tab goes over graphql-ws too (as connectionParams, which take the header names): one socket per
    // set of headers, so a subscription runs as the caller the headers name, not anonymously.
    const fetchers = new Map();
    const fetcherFor = (headers) => {
      const key = JSON.stringify(headers || {});
      if (!fetchers.has(key)) {
        const wsClient = graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams: headers || {} });
        fetchers.set(key, GraphiQL.createFetcher({ url: url.href, wsClient }));
      }
      return fetchers.get(key);
    };
    const fetcher = (params, options) => fetcherFor(options && options.headers)(params, options);
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }),
    );
  </script>
</body>
</html>`;
}
