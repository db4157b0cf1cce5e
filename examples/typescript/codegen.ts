import type { CodegenConfig } from '@graphql-codegen/cli';

// The committed SDL of the server. CRM_GRAPHQL_SCHEMA may point elsewhere: another SDL file, or a
// running development server (`http://127.0.0.1:8080/graphql`, which answers introspection).
const schema = process.env.CRM_GRAPHQL_SCHEMA ?? '../../schema.graphql';

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  // Fail when src/ has no operations (a glob typo would otherwise check nothing).
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        // No fragments here; with them, masking keeps each component to the fields it asked for.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        // `graphql(...)` returns a TypedDocumentString: `String(doc)` is the document to post, so
        // no GraphQL runtime library is needed in the bundle.
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        // Every custom scalar of schema.graphql, as it travels in JSON. A scalar added to the
        // schema without a line here makes codegen fail.
        strictScalars: true,
        scalars: {
          // RFC 4122 text, e.g. "67e55044-10b1-426f-9247-bb680e5fe0c8".
          UUID: 'string',
          // RFC 3339 instant in UTC, e.g. "2024-05-01T12:30:00Z".
          DateTime: 'string',
          // Calendar date, "YYYY-MM-DD".
          Date: 'string',
          // Decimal number as text (exact; never through a JS number), e.g. "1234.50".
          Decimal: 'string',
          // Any JSON value (custom field values and the like).
          JSON: 'unknown',
          // Multipart upload (`importContacts(file: ...)`); input only.
          Upload: { input: 'File | Blob', output: 'never' },
        },
      },
    },
  },
};

export default config;
