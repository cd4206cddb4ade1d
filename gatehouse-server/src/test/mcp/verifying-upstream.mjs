// A tool server that trusts no one by default: the official TypeScript MCP SDK behind a bearer check done with
// `jose`, the way an upstream behind Gatehouse would verify who each call is for.
// Usage: node verifying-upstream.mjs '<config json>'   config:
//   {mode: "gatehouse-jwt", jwksUrl, issuer}   verify Gatehouse's per-call tokens (typ gatehouse-call+jwt, aud = this
//                                              server, single-use jti)
//   {mode: "oauth", jwksUrl, issuer}           an OAuth resource server (MCP authorization): tokens of the authorization
//                                              server `issuer`; without one, 401 with RFC 9728 resource_metadata
// Prints {"port": N} once listening. GET /log answers what was accepted and refused; GET /last-token the last accepted
// token (so a test can replay it).
import http from "node:http";
import crypto from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const config = JSON.parse(process.argv[2]);
const jwks = createRemoteJWKSet(new URL(config.jwksUrl));
const seenJti = new Map(); // jti -> exp: a Gatehouse call token is good for one request only
const log = { accepted: [], refused: [] };
let lastToken = null;
let resource = null; // http://127.0.0.1:<port>/mcp, known once listening

// The digest Gatehouse puts in mcp.arguments_digest: SHA-256 over the payload with sorted keys (RFC 8785 for
// strings and integers).
const canonical = (v) => Array.isArray(v) ? `[${v.map(canonical).join(",")}]`
  : v !== null && typeof v === "object" ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`
  : JSON.stringify(v);
const sha256 = (s) => crypto.createHash("sha256").update(s, "utf8").digest("hex");

async function verify(token) {
  if (config.mode === "gatehouse-jwt") {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: config.issuer, audience: resource, typ: "gatehouse-call+jwt", algorithms: ["ES256"],
      requiredClaims: ["jti", "exp", "iat", "sub", "task_id"], maxTokenAge: "60s",
    });
    const now = Math.floor(Date.now() / 1000);
    for (const [jti, exp] of seenJti) if (exp < now) seenJti.delete(jti);
    if (seenJti.has(payload.jti)) throw Object.assign(new Error("token replayed"), { code: "ERR_REPLAYED" });
    seenJti.set(payload.jti, payload.exp);
    return payload;
  }
  const { payload } = await jwtVerify(token, jwks, { issuer: config.issuer, audience: resource });
  return payload;
}

function mcpServer(claims) {
  const server = new Server({ name: "verifying-upstream", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: "whoami", description: "Says who the call is for", inputSchema: { type: "object", properties: { note: { type: "string" } } } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => ({
    content: [{ type: "text", text: JSON.stringify({ sub: claims.sub, act: claims.act ?? null, task_id: claims.task_id, on_behalf_of: claims.on_behalf_of ?? null, args: request.params.arguments ?? {} }) }],
  }));
  return server;
}

function refuse(res, reason, description) {
  log.refused.push({ reason, description });
  const metadata = `${resource.replace(/\/mcp$/, "")}/.well-known/oauth-protected-resource/mcp`;
  res.writeHead(401, {
    "WWW-Authenticate": `Bearer resource_metadata="${metadata}"${reason === "missing" ? "" : `, error="invalid_token"`}`,
    "Content-Type": "application/json",
  });
  res.end(JSON.stringify({ error: "invalid_token", reason }));
}

const httpServer = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (req.method === "GET" && req.url === "/log") return res.end(JSON.stringify(log));
  if (req.method === "GET" && req.url === "/last-token") return res.end(JSON.stringify({ token: lastToken }));
  if (req.method === "GET" && req.url === "/.well-known/oauth-protected-resource/mcp") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return res.end(JSON.stringify({ resource, authorization_servers: [config.issuer], bearer_methods_supported: ["header"] }));
  }
  if (!req.url.startsWith("/mcp")) { res.writeHead(404); return res.end(); }
  const auth = req.headers.authorization ?? "";
  if (!auth.startsWith("Bearer ")) return refuse(res, "missing", "no bearer token");
  const token = auth.slice(7);
  let claims;
  try {
    claims = await verify(token);
  } catch (e) {
    const reason = e.code === "ERR_JWT_EXPIRED" ? "expired" : e.code === "ERR_REPLAYED" ? "replayed"
      : e.code === "ERR_JWT_CLAIM_VALIDATION_FAILED" ? `claim_${e.claim}` : (e.code ?? "invalid");
    return refuse(res, reason, String(e.message));
  }
  lastToken = token;
  const message = req.method === "POST" && raw ? JSON.parse(raw) : undefined;
  const p = message?.params ?? {};
  log.accepted.push({
    method: req.method === "POST" ? message?.method ?? null : req.method, sub: claims.sub, act: claims.act ?? null, task_id: claims.task_id ?? null,
    on_behalf_of: claims.on_behalf_of ?? null, owner: claims.owner ?? null, mcp: claims.mcp ?? null, aud: claims.aud, iss: claims.iss,
    lifetime: claims.exp - claims.iat,
    digestMatches: message?.method === "tools/call" && claims.mcp
      ? claims.mcp.arguments_digest === sha256(canonical({ name: p.name, arguments: p.arguments ?? {} })) : null,
  });
  if (req.method === "DELETE") { res.writeHead(200); return res.end(); }
  // Stateless: every request gets its own transport; the bearer check above is what this test is about.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  const server = mcpServer(claims);
  res.on("close", () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, message);
});

httpServer.listen(0, "127.0.0.1", () => {
  const port = httpServer.address().port;
  resource = `http://127.0.0.1:${port}/mcp`;
  console.log(JSON.stringify({ port }));
});
