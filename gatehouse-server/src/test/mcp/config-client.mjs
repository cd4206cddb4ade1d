// An MCP client configured the way desktop and IDE clients are: from an `mcpServers` JSON document.
// Usage: node config-client.mjs <config.json> <server name> '<plan json>'
//   plan: {steps: [{op: list} | {op: call, name, arguments}]}
// Like clients that support it, `${VAR}` in the url and header values is expanded from the environment.
// Prints one JSON object: {url, steps: [{ok, tools? | result? | message}]}.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [configFile, name, planJson] = process.argv.slice(2);
const expand = (s) => s.replace(/\$\{([A-Z0-9_]+)\}/g, (_, v) => process.env[v] ?? "");
const entry = JSON.parse(readFileSync(configFile, "utf8")).mcpServers?.[name];
const out = { steps: [] };
if (!entry || entry.type !== "http" || !entry.url) {
  out.configError = `no http server '${name}' in mcpServers`;
  console.log(JSON.stringify(out));
  process.exit(0);
}
const headers = Object.fromEntries(Object.entries(entry.headers ?? {}).map(([k, v]) => [k, expand(v)]));
out.url = expand(entry.url);
const transport = new StreamableHTTPClientTransport(new URL(out.url), { requestInit: { headers } });
const client = new Client({ name: "gatehouse-agents-doc-test", version: "1.0.0" });
try {
  await client.connect(transport);
} catch (e) {
  out.connectError = String(e?.message ?? e);
  console.log(JSON.stringify(out));
  process.exit(0);
}
for (const step of JSON.parse(planJson).steps) {
  try {
    if (step.op === "list") {
      const r = await client.listTools();
      out.steps.push({ ok: true, tools: r.tools.map((t) => t.name).sort() });
    } else if (step.op === "call") {
      const r = await client.callTool({ name: step.name, arguments: step.arguments ?? {} });
      out.steps.push({ ok: true, result: r });
    }
  } catch (e) {
    out.steps.push({ ok: false, code: e?.code ?? null, message: String(e?.message ?? e) });
  }
}
try { await client.close(); } catch { /* the session may already be gone */ }
console.log(JSON.stringify(out));
process.exit(0);
