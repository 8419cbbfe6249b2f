// Composes the subgraph schemas named in supergraph.yaml (rover's format) into supergraph.graphql,
// with Apollo's composition library: the same code `rover supergraph compose` runs.
//
//   node compose.mjs                       write router/supergraph.graphql
//   node compose.mjs --check               fail if router/supergraph.graphql is not what composition gives
//   node compose.mjs [--check] other.yaml  read another supergraph.yaml (default: ../supergraph.yaml)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import YAML from 'yaml';

const routerDir = dirname(fileURLToPath(import.meta.url));
const supergraphPath = resolve(routerDir, 'supergraph.graphql');

class CompositionFailed extends Error {}

function parseArgs(argv) {
  const args = argv.slice(2);
  const check = args.includes('--check');
  const yamlArg = args.find((arg) => !arg.startsWith('--'));
  // A path given on the command line is relative to where the command runs, like any CLI argument.
  const yamlPath = yamlArg ? resolve(yamlArg) : resolve(routerDir, '..', 'supergraph.yaml');
  return { check, yamlPath };
}

function readSubgraphs(yamlPath) {
  if (!existsSync(yamlPath)) throw new CompositionFailed(`${yamlPath} not found`);
  const config = YAML.parse(readFileSync(yamlPath, 'utf8'));
  const subgraphs = Object.entries(config?.subgraphs ?? {});
  if (subgraphs.length === 0) throw new CompositionFailed(`${yamlPath} names no subgraphs`);
  // Schema files are relative to the folder of supergraph.yaml, as with rover.
  return subgraphs.map(([name, { routing_url: url, schema }]) => {
    if (!schema?.file) throw new CompositionFailed(`subgraph "${name}": only "schema: file:" is supported`);
    return { name, url, typeDefs: parseSchemaFile(name, resolve(dirname(yamlPath), schema.file)) };
  });
}

function parseSchemaFile(name, path) {
  if (!existsSync(path)) throw new CompositionFailed(`subgraph "${name}": schema file ${path} not found`);
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CompositionFailed(`subgraph "${name}": ${path}: ${error.message}`);
  }
}

function compose(services) {
  const result = composeServices(services);
  if (result.errors) {
    const messages = result.errors.map((error) => `  - ${error.message}`).join('\n');
    throw new CompositionFailed(`composition failed with ${result.errors.length} error(s):\n${messages}`);
  }
  for (const hint of result.hints) console.warn(`hint: ${hint.toString()}`);
  return `${result.supergraphSdl.trimEnd()}\n`;
}

function checkIsCurrent(supergraphSdl) {
  const committed = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : null;
  if (committed !== supergraphSdl) {
    throw new CompositionFailed('router/supergraph.graphql is stale: run `make compose`');
  }
  console.log('router/supergraph.graphql is up to date');
}

function main() {
  const { check, yamlPath } = parseArgs(process.argv);
  const supergraphSdl = compose(readSubgraphs(yamlPath));
  if (check) return checkIsCurrent(supergraphSdl);
  writeFileSync(supergraphPath, supergraphSdl);
  console.log(`wrote ${relative(process.cwd(), supergraphPath) || supergraphPath} from ${yamlPath}`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof CompositionFailed)) throw error;
  console.error(error.message);
  process.exit(1);
}
