/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The federation router's HTTP endpoint, e.g. http://localhost:4000/graphql */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
