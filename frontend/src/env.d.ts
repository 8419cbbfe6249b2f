/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The router's GraphQL endpoint: absolute (http://localhost:4000/graphql) or a path on the
   * page's own origin (/graphql behind nginx). */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
