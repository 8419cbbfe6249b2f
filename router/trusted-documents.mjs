// The SPA's operations, fixed at build time (frontend/src/graphql/*.graphql), as the manifest
// the router trusts in production: { "<sha256 of the canonical document>": "<document>" }.
// Each operation goes with the fragments it uses, as Apollo Client sends it.
//
//   node trusted-documents.mjs          write router/trusted-documents.json
//   node trusted-documents.mjs --check  fail if it is not what the SPA's operations give
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, visit } from 'graphql';
import { canonicalDocument, documentHash } from './canonical-document.mjs';

const routerDir = dirname(fileURLToPath(import.meta.url));
const operationsDir = resolve(routerDir, '..', 'frontend', 'src', 'graphql');
const manifestPath = resolve(routerDir, 'trusted-documents.json');

function definitionsOf(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .flatMap((name) => parse(readFileSync(resolve(dir, name), 'utf8'), { noLocation: true }).definitions);
}

function fragmentsUsed(node, fragments, found = new Map()) {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (!found.has(name) && fragments.has(name)) {
        found.set(name, fragments.get(name));
        fragmentsUsed(fragments.get(name), fragments, found);
      }
    },
  });
  return found;
}

export function buildManifest(dir = operationsDir) {
  const definitions = definitionsOf(dir);
  const fragments = new Map(
    definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const manifest = {};
  for (const operation of definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
    const document = {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...fragmentsUsed(operation, fragments).values()],
    };
    manifest[documentHash(document)] = canonicalDocument(document);
  }
  return `${JSON.stringify(Object.fromEntries(Object.entries(manifest).sort()), null, 2)}\n`;
}

const manifest = buildManifest();
if (process.argv.includes('--check')) {
  const committed = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : null;
  if (committed !== manifest) {
    console.error("router/trusted-documents.json is stale: run 'make compose'");
    process.exit(1);
  }
  console.log('trusted documents are current');
} else {
  writeFileSync(manifestPath, manifest);
}
