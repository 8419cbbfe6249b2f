// One spelling per operation, so that the router recognises the SPA's operations however Apollo
// Client sends them: `__typename` (which Apollo adds to every selection) left out, definitions
// sorted by name, printed by graphql-js. Used by trusted-documents.mjs (build time) and
// protections.ts (per request).
import { createHash } from 'node:crypto';
import { Kind, parse, print, visit } from 'graphql';

export function canonicalDocument(source) {
  const document = typeof source === 'string' ? parse(source, { noLocation: true }) : source;
  const stripped = visit(document, {
    Field(node) {
      return node.name.value === '__typename' && !node.alias ? null : undefined;
    },
  });
  const definitions = [...stripped.definitions].sort((a, b) =>
    `${a.kind}:${a.name?.value ?? ''}`.localeCompare(`${b.kind}:${b.name?.value ?? ''}`),
  );
  return print({ kind: Kind.DOCUMENT, definitions });
}

export function documentHash(source) {
  return createHash('sha256').update(canonicalDocument(source)).digest('hex');
}
