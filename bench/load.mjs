// The load driver: runs one load described as JSON on stdin and prints its result as JSON.
//
// A load is `connections` workers, each doing one operation after another for `duration`
// seconds; with `rate` set, operations start on a schedule of `rate` per second overall instead
// (open loop, at most `connections` in flight).
// An operation is one of:
//   {"kind": "request", "requests": [{url, method, headers, body}, ...]}  one request, the list
//       taken in turn, so that concurrent operations send different requests;
//   {"kind": "users-then-purchases", "usersUrl", "purchasesUrl", "headers", "query"}  what a
//       client without the router does: GET the users over REST, then ask the purchases
//       subgraph for those users' purchases.
// An answer that is not 2xx, or a GraphQL answer with `errors`, counts as an error.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

const load = JSON.parse(readFileSync(0, 'utf8'));
const dispatcher = new Agent({ connections: load.connections, keepAliveTimeout: 60_000 });

async function send({ url, method = 'GET', headers = {}, body }) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const response = await request(url, { dispatcher, method, headers, body: payload });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
  return text;
}

async function sendGraphQL(spec) {
  const answer = JSON.parse(await send(spec));
  if (answer.errors) throw new Error(`GraphQL: ${JSON.stringify(answer.errors).slice(0, 200)}`);
  return answer;
}

function operation(spec) {
  if (spec.kind === 'request') {
    let next = 0;
    return () => {
      const req = spec.requests[next++ % spec.requests.length];
      return req.graphql ? sendGraphQL(req) : send(req);
    };
  }
  if (spec.kind === 'users-then-purchases') {
    return async () => {
      const users = JSON.parse(await send({ url: spec.usersUrl }));
      const representations = users.map((user) => ({ __typename: 'User', id: String(user.id) }));
      await sendGraphQL({
        url: spec.purchasesUrl,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: { query: spec.query, variables: { representations } },
      });
    };
  }
  throw new Error(`unknown operation kind ${spec.kind}`);
}

async function run(op, seconds, rate, record) {
  const started = performance.now();
  const ends = started + seconds * 1000;
  let scheduled = 0;
  async function worker() {
    while (true) {
      let begin = performance.now();
      if (rate) {
        const due = started + (scheduled++ / rate) * 1000;
        if (due >= ends) return;
        if (due > begin) await new Promise((resolve) => setTimeout(resolve, due - begin));
        begin = performance.now();
      } else if (begin >= ends) {
        return;
      }
      try {
        await op();
        record.latencies.push(performance.now() - begin);
      } catch (error) {
        record.errors += 1;
        record.lastError = String(error.message ?? error);
      }
    }
  }
  await Promise.all(Array.from({ length: load.connections }, worker));
  return (performance.now() - started) / 1000;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

const op = operation(load.operation);
const record = { latencies: [], errors: 0, lastError: null };
const seconds = await run(op, load.duration, load.rate, record);
const sorted = Float64Array.from(record.latencies).sort();
const round = (ms) => (ms === null ? null : Math.round(ms * 100) / 100);
process.stdout.write(
  JSON.stringify({
    operations: sorted.length,
    errors: record.errors,
    last_error: record.lastError,
    seconds: Math.round(seconds * 1000) / 1000,
    per_second: Math.round((sorted.length / seconds) * 10) / 10,
    latency_ms: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(percentile(sorted, 100)),
    },
  }) + '\n',
);
await dispatcher.close();
