// Drives partnerstack-mcp through two agent frameworks, as an agent would use
// it but without a model: the tools are called directly through the
// framework's own tool objects. Run by .ci/clients with Node 22; fails (exit 1)
// on any mismatch.
//
//   node frameworks.mjs langchain stdio README.md   the README's LangChain.js snippet, run as written
//   node frameworks.mjs langchain http  URL         MultiServerMCPClient over streamable HTTP
//   node frameworks.mjs openai    stdio README.md   the README's OpenAI Agents SDK snippet, run as written
//   node frameworks.mjs openai    http  URL         MCPServerStreamableHttp
//   node frameworks.mjs openai    cases FILE        the SDK's strict-mode verdict on each schema in FILE
//                                                   (tools/testdata/strict-mode-cases.json, which the Go
//                                                   mirror of its rules, tools/strict_test.go, also reads)
//
// The README snippets start `partnerstack-mcp --sandbox --toolsets all` from
// PATH. Environment: EXPECTED_TOOLS is a file with `partnerstack-mcp tools
// --toolsets all --json` output (the tool names must match exactly).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [framework, transportName, target] = process.argv.slice(2);
const label = `${framework} ${transportName}`;
const here = dirname(fileURLToPath(import.meta.url));

function fail(msg) {
  console.error(`${label}: FAIL: ${msg}`);
  process.exit(1);
}

function assert(cond, msg) {
  if (!cond) fail(msg);
}

function expectedTools() {
  const file = process.env.EXPECTED_TOOLS;
  assert(file, "EXPECTED_TOOLS is not set");
  return JSON.parse(readFileSync(file, "utf8")).tools.map((t) => t.name).sort();
}

function sameNames(got, what) {
  const names = got.map((t) => t.name).sort();
  const want = expectedTools();
  assert(JSON.stringify(names) === JSON.stringify(want), `${what}: got ${names.join(",")}; want ${want.join(",")}`);
  return names.length;
}

// readmeSnippet runs the README's js block that follows `<!-- ci:NAME -->` as
// written (a module in this directory, so its imports resolve from the CI
// tools), and returns the variables it defines that are listed in `names`.
async function readmeSnippet(readme, name, names) {
  const text = readFileSync(readme, "utf8");
  const m = text.match(new RegExp(`<!-- ci:${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\\n\`\`\``));
  assert(m, `${readme} has no \`\`\`js block after <!-- ci:${name} -->`);
  const file = join(here, `readme-${name}-${process.pid}.mjs`);
  writeFileSync(file, `${m[1]}\nexport { ${names.join(", ")} };\n`);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

function parseJSON(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    fail(`${what}: not JSON: ${String(text).slice(0, 300)}`);
  }
}

// ------------------------------------------------------------ LangChain.js

// tableItems reads a list result's rows as objects keyed by column name,
// from structuredContent (columns + rows) or from the text content, which is
// the same table: a count line, perhaps a note, a header row, one
// |-separated row per item (tools/table.go, tools/render.go).
function tableItems(data, what) {
  if (typeof data !== "string") {
    assert(Array.isArray(data?.columns) && Array.isArray(data?.rows), `${what}: not a list table: ${JSON.stringify(data)}`);
    return data.rows.map((row) => Object.fromEntries(data.columns.map((c, j) => [c, row[j]])));
  }
  const lines = data.split("\n");
  const count = Number(/^count=(\d+)/.exec(lines[0])?.[1]);
  assert(Number.isInteger(count) && lines.length > count, `${what}: not a list table: ${data.slice(0, 300)}`);
  const cells = (line) => line.split(/(?<!\\)\|/);
  const header = cells(lines[lines.length - count - 1]);
  return lines.slice(lines.length - count).map((l) => Object.fromEntries(cells(l).map((v, j) => [header[j], v])));
}

// lcData returns a LangChain tool's result data: the structuredContent the
// adapter keeps on the text block, or else the text (parsed as JSON unless
// it is a list's table).
function lcData(content, what) {
  const blocks = Array.isArray(content) ? content : [content];
  const structured = blocks.find((b) => b?.structuredContent)?.structuredContent;
  if (structured) return structured;
  const text = blocks.map((b) => (typeof b === "string" ? b : b?.type === "text" ? b.text : "")).join("");
  return /^count=\d+/.test(text) ? text : parseJSON(text, what);
}

async function langchain() {
  let client, tools;
  if (transportName === "stdio") {
    ({ client, tools } = await readmeSnippet(target, "langchain", ["client", "tools"]));
  } else if (transportName === "http") {
    const { MultiServerMCPClient } = await import("@langchain/mcp-adapters");
    client = new MultiServerMCPClient({ mcpServers: { partnerstack: { transport: "http", url: target } } });
    tools = await client.getTools();
  } else {
    fail(`unknown transport ${transportName}; use stdio or http`);
  }
  try {
    const byName = new Map(tools.map((t) => [t.name, t]));
    const loaded = sameNames(tools, "getTools()");
    const calls = [];

    // A read: the content is the result's JSON text.
    const groups = tableItems(lcData(await byName.get("list_groups").invoke({ limit: 5 }), "list_groups"), "list_groups");
    assert(groups.length > 0 && groups.every((g) => g.key), `list_groups: no items in ${JSON.stringify(groups)}`);
    calls.push(`list_groups read ${groups.length} items`);

    // A dry-run write on a real demo partner: the request is shown, nothing sent.
    const partners = lcData(await byName.get("list_partnerships").invoke({ limit: 1 }), "list_partnerships");
    const partnerKey = tableItems(partners, "list_partnerships")[0]?.partner_key;
    assert(partnerKey, "list_partnerships gave no partner_key");
    const dry = lcData(
      await byName.get("create_customer").invoke({ email: "langchain@example.com", partner_key: partnerKey, dry_run: true }),
      "create_customer dry run",
    );
    assert(dry.dry_run?.method === "POST" && JSON.stringify(dry.dry_run).includes("langchain@example.com"), `create_customer dry run: ${JSON.stringify(dry)}`);
    calls.push(`create_customer dry run (${dry.dry_run.method} ${new URL(dry.dry_run.url).pathname}, nothing sent)`);

    // A failing call the schema allows: the server's tool error reaches the
    // caller as an exception carrying our message.
    let err;
    try {
      await byName.get("get_partnership").invoke({ key: "part_does_not_exist" });
    } catch (e) {
      err = e;
    }
    assert(err, "get_partnership on a missing key did not throw");
    assert(err.name === "ToolException", `get_partnership error is ${err.name}, want ToolException`);
    assert(/not found/i.test(err.message) && err.message.includes("part_does_not_exist"), `the error lost our message: ${err.message}`);
    calls.push(`get_partnership error reached the caller (${err.name}: "${err.message.replace(/^.*returned an error: /, "").split(" Hint:")[0]}")`);

    console.log(`${label}: ok: ${loaded} tools loaded; ${calls.join("; ")}`);
  } finally {
    await client.close();
  }
}

// ------------------------------------------------------- OpenAI Agents SDK

// nullFilled is what a model in strict function-calling mode sends: every
// property of the strict schema, null where the model has no value.
function nullFilled(parameters, args) {
  const out = {};
  for (const key of Object.keys(parameters.properties ?? {})) out[key] = key in args ? args[key] : null;
  return out;
}

function outputText(out) {
  if (typeof out === "string") return out;
  const items = Array.isArray(out) ? out : [out];
  return items.map((c) => (c?.type === "text" ? c.text : JSON.stringify(c))).join("\n");
}

function contentText(content) {
  return (content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

async function openai() {
  const sdk = await import("@openai/agents");
  // The strict-mode fallback is only a console warning; collect it, with the
  // converter's real message instead of the redacted error type.
  sdk.setSensitiveDataLoggingEnabled(true);
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
    warn(...args);
  };

  let server, agent;
  if (transportName === "stdio") {
    ({ server, agent } = await readmeSnippet(target, "openai", ["server", "agent"]));
  } else if (transportName === "http") {
    server = new sdk.MCPServerStreamableHttp({ url: target, name: "partnerstack" });
    await server.connect();
    agent = new sdk.Agent({ name: "Partner ops", mcpServers: [server], mcpConfig: { convertSchemasToStrict: true } });
  } else {
    fail(`unknown transport ${transportName}; use stdio or http`);
  }
  try {
    assert(agent.mcpConfig?.convertSchemasToStrict === true, "the agent does not ask for convertSchemasToStrict");
    const runContext = new sdk.RunContext({});
    const tools = await agent.getMcpTools(runContext);
    const listed = sameNames(tools, "agent.getMcpTools()");
    const strict = tools.filter((t) => t.strict === true);
    const loose = tools.filter((t) => t.strict !== true).map((t) => t.name);
    const fallbacks = warnings.filter((w) => /strict mode/i.test(w));
    assert(loose.length === 0 && fallbacks.length === 0,
      `${strict.length} of ${listed} tools convert to strict mode; not: ${loose.join(", ")}; SDK warnings: ${fallbacks.join(" | ")}`);
    // Strict mode's contract: closed objects, every property required.
    for (const t of strict) {
      const p = t.parameters;
      const keys = Object.keys(p.properties ?? {}).sort();
      assert(p.additionalProperties === false && JSON.stringify([...p.required].sort()) === JSON.stringify(keys),
        `${t.name}: converted schema is not closed with every property required: ${JSON.stringify(p)}`);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    const calls = [];

    // invoke calls a tool as the runner does when the model answers with a
    // function call: the arguments arrive as one JSON string.
    let callId = 0;
    const invoke = (name, args) =>
      byName.get(name).invoke(runContext, JSON.stringify(args), {
        toolCall: { type: "function_call", callId: `call_${++callId}`, name, arguments: JSON.stringify(args) },
      });

    // A read with every optional property null, through the SDK (which drops
    // the nulls its converter added) and straight to the server (as adapters
    // that keep them do): same answer as with the optionals absent.
    const readArgs = nullFilled(byName.get("list_groups").parameters, { limit: 5 });
    const viaSDK = outputText(await invoke("list_groups", readArgs));
    assert(/grup_/.test(viaSDK), `list_groups via the SDK gave no groups: ${viaSDK}`);
    const bare = await server.callTool("list_groups", { limit: 5 });
    const raw = await server.callTool("list_groups", readArgs);
    assert(!raw.isError, `list_groups with null optionals sent as they are: ${contentText(raw)}`);
    assert(contentText(raw) === contentText(bare) && contentText(bare) === viaSDK, "list_groups: null optionals changed the answer");
    const nulls = (args) => Object.values(args).filter((v) => v === null).length;
    calls.push(`list_groups read with ${nulls(readArgs)} null optionals (via the SDK and sent raw: same answer as without)`);

    // A dry-run money write with null-filled arguments, both ways.
    const customers = (await server.callToolResult("list_customers", { limit: 1 })).structuredContent;
    const customerKey = tableItems(customers, "list_customers")[0]?.customer_key;
    assert(customerKey, "list_customers gave no customer_key");
    const writeArgs = nullFilled(byName.get("record_transaction").parameters, {
      amount: 9900, currency: "USD", customer_key: customerKey, key: `openai-${transportName}-dry-run`, dry_run: true,
    });
    for (const [how, out] of [
      ["via the SDK", outputText(await invoke("record_transaction", writeArgs))],
      ["sent raw", contentText(await server.callTool("record_transaction", writeArgs))],
    ]) {
      const dry = parseJSON(out, `record_transaction dry run (${how})`);
      assert(dry.dry_run?.method === "POST" && dry.dry_run.body?.customer_external_key === customerKey && dry.dry_run.body?.amount === 9900,
        `record_transaction dry run (${how}): ${out}`);
    }
    calls.push(`record_transaction dry run with ${nulls(writeArgs)} null optionals (via the SDK and sent raw)`);

    // A failing call: the model gets our message as the tool output.
    const missing = outputText(await invoke("get_partnership", { key: "part_does_not_exist" }));
    assert(/not found/i.test(missing) && missing.includes("part_does_not_exist"), `get_partnership error lost our message: ${missing}`);
    calls.push(`get_partnership error reached the model ("${missing.split(" Hint:")[0]}")`);

    console.log(`${label}: ok: ${listed} tools listed, ${strict.length} of ${listed} strict-convertible; ${calls.join("; ")}`);
  } finally {
    console.warn = warn;
    await server.close();
  }
}

// strictCases runs the SDK's own conversion over schemas whose verdicts the
// Go mirror of its rules is tested against: they must agree.
async function strictCases() {
  const { mcpToFunctionTool } = await import("@openai/agents");
  const cases = parseJSON(readFileSync(target, "utf8"), target);
  const warn = console.warn;
  console.warn = () => {}; // every refusal logs a fallback warning
  const wrong = [];
  let n = 0;
  try {
    for (const [verdict, want] of [["refused", false], ["accepted", true]]) {
      for (const [name, inputSchema] of Object.entries(cases[verdict] ?? {})) {
        n++;
        let strict = false;
        try {
          strict = mcpToFunctionTool({ name: "t", description: name, inputSchema }, { name: "cases" }, true).strict === true;
        } catch {
          // too deep: the SDK throws instead of falling back
        }
        if (strict !== want) wrong.push(`${name}: the SDK ${strict ? "converts" : "refuses"} it, the file says ${verdict}`);
      }
    }
  } finally {
    console.warn = warn;
  }
  assert(n >= 15, `${target}: only ${n} cases`);
  assert(wrong.length === 0, wrong.join("; "));
  console.log(`${label}: ok: the SDK's strict-mode verdict matches ${basename(target)} on all ${n} schemas`);
}

const watchdog = setTimeout(() => fail("timed out after 90 s"), 90000);
try {
  if (framework === "langchain") await langchain();
  else if (framework === "openai" && transportName === "cases") await strictCases();
  else if (framework === "openai") await openai();
  else fail(`unknown framework ${framework}; use langchain or openai`);
} catch (err) {
  fail(err?.stack ?? String(err));
} finally {
  clearTimeout(watchdog);
}
