// GraphQL Code Generator: typed documents for every operation written with graphql() in web/src, checked against
// the API's schema.graphql. Run `npm run web:codegen` after changing an operation or the schema; the output in
// web/src/graphql/ is committed, and test/unit/web/codegen.test.ts fails when it is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/graphql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTimeISO: 'string',
          SafeInt: 'number',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
