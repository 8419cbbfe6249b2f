// What the router refuses before any subgraph is asked (issue 20): bodies over a size, operations
// that cost too much, too many WebSocket connections or subscriptions from one client, and in
// production any document that is not one of the SPA's (unless an admin sends it).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type GraphQLOutputType,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from 'graphql';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { WebSocketServer } from 'ws';
import { canonicalDocument, documentHash } from './canonical-document.mjs';

type AnyPlugin = Record<string, unknown>;

function refusal(message: string, code: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

// --- request bodies -------------------------------------------------------------------------
// A declared Content-Length over the cap is refused before the body is read; a streamed body is
// counted as it is read, and refused at the chunk that goes over.
export function useRequestBodyLimit(maxBytes: number): AnyPlugin {
  const message = `request body too large: the limit is ${maxBytes} bytes`;
  async function readCapped(request: Request): Promise<string> {
    const reader = request.body!.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw refusal(message, 'PAYLOAD_TOO_LARGE', 413);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  return {
    onRequest({ request, endResponse }: { request: Request; endResponse: (r: Response) => void }) {
      const declared = Number(request.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        endResponse(
          new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }), {
            status: 413,
            headers: { 'content-type': 'application/json', connection: 'close' },
          }),
        );
      }
    },
    onRequestParse({ request, setRequestParser }: any) {
      if (request.method !== 'POST' || request.headers.has('content-length') || !request.body) return;
      if (!(request.headers.get('content-type') ?? '').includes('json')) return;
      setRequestParser(async (streamed: Request) => {
        const text = await readCapped(streamed);
        try {
          return JSON.parse(text);
        } catch {
          throw refusal('POST body sent is invalid JSON', 'BAD_REQUEST', 400);
        }
      });
    },
  };
}

// --- cost -----------------------------------------------------------------------------------
// Each field returning an object costs 1; a list multiplies what it holds by its size: its own
// `first` argument, or for the lists of a connection (`edges`, `nodes`) the connection field's
// `first` (asked, else the schema's default), else DEFAULT_LIST_SIZE; aliases count as
// separate fields. Computed on the client's operation before any subgraph is called.
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  defaultListSize: number,
  operationName?: string | null,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0];
  if (!operation) return 0;
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return 0;

  // The size a field's `first` asks for (its value, else the argument's default), or NaN.
  function firstOf(selection: FieldNode, field: GraphQLField<unknown, unknown>): number {
    const given = selection.arguments?.find((argument) => argument.name.value === 'first');
    const declared = field.args.find((argument) => argument.name === 'first');
    const asked = given ? valueFromASTUntyped(given.value, variables) : declared?.defaultValue;
    const size = Number(asked);
    return Number.isFinite(size) && size > 0 ? size : NaN;
  }

  // `pageSize`: the `first` of the connection field whose selection this is, if any.
  function selectionCost(
    selectionSet: SelectionSetNode,
    parent: GraphQLOutputType,
    depth: number,
    pageSize = NaN,
  ): number {
    if (depth > 50) return Infinity; // a fragment cycle (validation refuses it anyway)
    const named = getNamedType(parent);
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!(isObjectType(named) || isInterfaceType(named))) continue;
        const field = named.getFields()[selection.name.value];
        if (!field) continue;
        const returned = getNullableType(field.type);
        const own = isCompositeType(getNamedType(field.type)) ? 1 : 0;
        const first = firstOf(selection, field);
        const list = isListType(returned);
        // A connection (not a list itself) hands its `first` to the lists it holds.
        const inner = selection.selectionSet
          ? selectionCost(selection.selectionSet, field.type, depth + 1, list ? NaN : first)
          : 0;
        let factor = 1;
        if (list) factor = [first, pageSize].find(Number.isFinite) ?? defaultListSize;
        total += factor * (own + inner);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : named;
        total += selectionCost(selection.selectionSet, (type ?? named) as GraphQLOutputType, depth + 1, pageSize);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? named;
        total += selectionCost(fragment.selectionSet, type as GraphQLOutputType, depth + 1, pageSize);
      }
    }
    return total;
  }
  return selectionCost(operation.selectionSet, root, 0);
}

export function useCostLimit(maxCost: number, defaultListSize: number): AnyPlugin {
  function check({ args, setResultAndStopExecution }: any) {
    const cost = operationCost(
      args.schema,
      args.document,
      args.variableValues ?? {},
      defaultListSize,
      args.operationName,
    );
    if (cost > maxCost) {
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `operation too expensive: estimated cost ${cost}, the limit is ${maxCost} ` +
              `(each list counts its \`first\` argument, or ${defaultListSize})`,
            { extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE', cost: { estimated: cost, max: maxCost } } },
          ),
        ],
      });
    }
  }
  return { onExecute: check, onSubscribe: check };
}

// --- WebSockets -----------------------------------------------------------------------------
// Hive Gateway's CLI makes its WebSocket server from the `ws` package and offers no hook on its
// connections: the upgrade is counted here, per client address, and refused over the cap with a
// 429 before the handshake.
function clientAddress(request: { socket?: { remoteAddress?: string } } | undefined): string {
  return request?.socket?.remoteAddress ?? 'unknown';
}

let connectionCapInstalled = false;

export function capWebSocketConnections(maxPerClient: number): void {
  if (connectionCapInstalled || maxPerClient <= 0) return;
  connectionCapInstalled = true;
  const open = new Map<string, number>();
  const original = WebSocketServer.prototype.handleUpgrade;
  WebSocketServer.prototype.handleUpgrade = function (request, socket, head, callback) {
    const address = clientAddress(request);
    const count = open.get(address) ?? 0;
    if (count >= maxPerClient) {
      const body = `too many WebSocket connections from this client: the limit is ${maxPerClient}`;
      socket.write(
        `HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    socket.once('close', release);
    return original.call(this, request, socket, head, callback);
  };
}

// Subscriptions in flight per client address, over WebSocket and SSE alike.
export function useSubscriptionCap(maxPerClient: number): AnyPlugin {
  const active = new Map<string, number>();
  return {
    onSubscribe({ args, setResultAndStopExecution }: any) {
      const context = args.contextValue ?? {};
      const address = clientAddress(context.req);
      const count = active.get(address) ?? 0;
      if (count >= maxPerClient) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`too many subscriptions from this client: the limit is ${maxPerClient}`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ],
        });
        return;
      }
      active.set(address, count + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (active.get(address) ?? 1) - 1;
        if (left > 0) active.set(address, left);
        else active.delete(address);
      };
      return {
        onSubscribeResult() {
          return { onEnd: release };
        },
        onSubscribeError: release,
      };
    },
  };
}

// --- trusted documents ----------------------------------------------------------------------
const routerDir = dirname(fileURLToPath(import.meta.url));

export function loadTrustedDocuments(path = resolve(routerDir, 'trusted-documents.json')): Map<string, string> {
  return new Map(Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>));
}

// An admin's access token, verified against the users service's public keys (cached by jose).
export function adminTokenVerifier(jwksUrl: string): (authorization: string | null) => Promise<boolean> {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  return async (authorization) => {
    const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (!token) return false;
    try {
      const { payload } = await jwtVerify(token, keys, {
        algorithms: ['EdDSA'],
        issuer: 'fedshop-users',
        audience: 'fedshop',
        clockTolerance: 30,
      });
      return payload.role === 'admin';
    } catch {
      return false;
    }
  };
}

// In production only the SPA's operations run (sent as text, or by hash as
// `extensions.persistedQuery.sha256Hash` / `documentId`); an admin's token lets any through.
export function useTrustedDocuments(
  trusted: Map<string, string>,
  isAdmin: (authorization: string | null) => Promise<boolean>,
): AnyPlugin {
  return {
    async onParams({ params, request, setParams }: any) {
      const byHash: string | undefined =
        params.extensions?.persistedQuery?.sha256Hash ?? params.documentId ?? undefined;
      if (!params.query && byHash) {
        const found = trusted.get(String(byHash).replace(/^sha256:/, ''));
        if (!found) throw refusal('persisted document not found', 'PERSISTED_QUERY_NOT_FOUND');
        setParams({ ...params, query: found });
        return;
      }
      if (typeof params.query !== 'string') return; // Yoga answers a missing query itself
      let hash: string;
      try {
        hash = documentHash(params.query);
      } catch {
        hash = ''; // a syntax error: only an admin gets as far as Yoga's own message
      }
      if (trusted.has(hash)) return;
      const authorization = request?.headers?.get('authorization') ?? params.extensions?.headers?.authorization ?? null;
      if (await isAdmin(authorization)) return;
      throw refusal(
        'only the operations of the fedshop SPA are accepted here (trusted documents); ' +
          'an admin token allows others',
        'PERSISTED_QUERY_ONLY',
        403,
      );
    },
  };
}

export { canonicalDocument };
