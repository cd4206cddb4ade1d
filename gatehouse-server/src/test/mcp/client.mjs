// A real MCP client for the gateway tests: the official TypeScript SDK over Streamable HTTP.
// Usage: node client.mjs '<plan json>'  plan: {url, token, steps: [{op: list} | {op: call, name, arguments} | {op: post, url, token}]}
// Prints one JSON object: {protocolVersion, steps: [{ok, tools? | result? | code, message, data}]}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const plan = JSON.parse(process.argv[2]);
const transport = new StreamableHTTPClientTransport(new URL(plan.url), {
  requestInit: { headers: { Authorization: `Bearer ${plan.token}` } },
});
const client = new Client({ name: "gatehouse-gateway-test", version: "1.0.0" });
const out = { steps: [] };
try {
  await client.connect(transport);
  out.protocolVersion = transport.protocolVersion ?? null;
  out.server = client.getServerVersion()?.name ?? null;
} catch (e) {
  out.connectError = String(e?.message ?? e);
  out.connectCode = e?.code ?? null;
  out.connectData = e?.data ?? null;
  console.log(JSON.stringify(out));
  process.exit(0);
}
for (const step of plan.steps) {
  try {
    if (step.op === "list") {
      const r = await client.listTools();
      out.steps.push({ ok: true, tools: r.tools.map((t) => t.name).sort() });
    } else if (step.op === "call") {
      const r = await client.callTool({ name: step.name, arguments: step.arguments ?? {} });
      out.steps.push({ ok: true, result: r });
    } else if (step.op === "post") {
      const r = await fetch(step.url, { method: "POST", headers: { Authorization: `Bearer ${step.token}`, "Content-Type": "application/json" }, body: "{}" });
      out.steps.push({ ok: r.ok, status: r.status });
    }
  } catch (e) {
    out.steps.push({ ok: false, code: e?.code ?? null, message: String(e?.message ?? e), data: e?.data ?? null });
  }
}
try { await client.close(); } catch { /* the session may already be gone */ }
console.log(JSON.stringify(out));
process.exit(0);
