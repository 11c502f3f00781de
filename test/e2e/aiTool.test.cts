// The node as an AI tool (usableAsTool) in real n8n 2.x, without an LLM: n8n's hidden
// "Tool Executor" node calls the `n8n-nodes-nexudus.nexudusTool` sub-node the way an AI Agent
// does (tool.invoke(args) on the tool n8n builds from the node and its $fromAI() parameters).
// The tool node is taken verbatim from examples/ai-agent-tool.json, so the example is proven too.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Emulator, RecordedRequest } from '../emulator/server.cjs';
import { DEMO, startEmulator } from '../emulator/server.cjs';
import { nexudusHome } from './fixtures/nexudus.cjs';
import type { ExecutionResult, N8nHome } from './n8n.cjs';
import {
	executeWorkflow,
	executeWorkflows,
	exportNodeTypes,
	importWorkflows,
	outputItems,
	removeTempDirs,
} from './n8n.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const ENDPOINT = '/api/spaces/coworkerinventoryassets';
const CREDENTIAL = { id: 'nexudusE2eAiTool1', name: 'Nexudus (e2e emulator)' };
const SLOW = 300_000;
const TOOL_TYPE = 'n8n-nodes-nexudus.nexudusTool';
const EXAMPLE = JSON.parse(
	readFileSync(path.join(REPO, 'examples', 'ai-agent-tool.json'), 'utf8'),
) as { nodes: Array<Record<string, any>>; connections: Record<string, any> };
const TOOL_NODE = EXAMPLE.nodes.find((n) => n.type === TOOL_TYPE)!;
/** n8n's tool name: the node name with every run of other characters than [A-Za-z0-9_-] as `_`. */
const TOOL_NAME = String(TOOL_NODE.name).replace(/[^a-zA-Z0-9_-]+/g, '_');
const { businesses, coworkers, inventoryAssets: assets } = DEMO;

afterAll(() => removeTempDirs());

/**
 * Manual Trigger -> Tool Executor, with the example's Nexudus tool node on the Tool Executor's
 * ai_tool input. `query` is `{ [toolName]: toolArguments }`.
 */
function toolExecutorWorkflow(id: string, query: Record<string, unknown>) {
	return {
		id,
		name: `E2E AI tool ${id}`,
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Europe/Madrid' },
		nodes: [
			{
				id: `${id}-start`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-executor`,
				name: 'Tool Executor',
				type: '@n8n/n8n-nodes-langchain.toolExecutor',
				typeVersion: 1,
				position: [220, 0],
				parameters: { query: JSON.stringify(query), toolName: '', node: '' },
			},
			{
				...structuredClone(TOOL_NODE),
				id: `${id}-tool`,
				position: [220, 200],
				credentials: { nexudusOAuth2Api: CREDENTIAL },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Tool Executor', type: 'main', index: 0 }]] },
			[TOOL_NODE.name]: { ai_tool: [[{ node: 'Tool Executor', type: 'ai_tool', index: 0 }]] },
		},
	};
}

/** "A monitor to jane@example.com": what a model sends for it (location and start left to the defaults). */
const A_MONITOR_FOR_JANE = { coworkerEmail: 'jane@example.com', asset: 'monitor' };

function args(notes: string, overrides: Record<string, unknown> = {}) {
	return {
		coworkerEmail: 'grace.park@example.com',
		locationName: 'Madrid - Gran Vía',
		asset: 'MAD-CHR',
		assignedFrom: '2025-06-01 09:00',
		notes,
		...overrides,
	};
}

/** What the tool node itself gave back to its caller (its ai_tool output) in run `runIndex`. */
function toolOutput(result: ExecutionResult, runIndex = 0): any {
	return result.runData[TOOL_NODE.name]?.[runIndex]?.data?.ai_tool?.[0]?.[0]?.json;
}

/** The Tool Executor hands back what tool.invoke() returned: the tool's JSON text. */
function executorResult(result: ExecutionResult): unknown {
	const [first] = outputItems(result, 'Tool Executor');
	const value = first?.json;
	return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The creates for Jane (the tool calls that give no notes). */
function janesPosts(emulator: Emulator): RecordedRequest[] {
	return emulator.requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.path === ENDPOINT &&
			(r.body as { CoworkerId?: number } | undefined)?.CoworkerId === coworkers.janeDoe,
	);
}

function postsWithNote(emulator: Emulator, notes: string): RecordedRequest[] {
	return emulator.requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.path === ENDPOINT &&
			(r.body as { Notes?: string } | undefined)?.Notes === notes,
	);
}

// Never skipped: without the pinned n8n every test fails with the command that installs it.
describe('Nexudus node as an AI tool in real n8n 2.x (Tool Executor, no LLM)', () => {
	let emulator: Emulator;
	let home: N8nHome;
	let nodeTypes: Array<Record<string, any>>;
	let results: Record<string, ExecutionResult>;
	const ids = {
		ok: 'e2eAiToolMon1Ok1',
		// Runs after ok: executeBatch runs in the database's order (by Id).
		again: 'e2eAiToolMon2Re1',
		dated: 'e2eAiToolDated01',
		unknownEmail: 'e2eAiToolNoMail1',
		spacedKey: 'e2eAiToolSpaced1',
		badDate: 'e2eAiToolBadDate1',
	};

	beforeAll(async () => {
		emulator = await startEmulator({ seed: 'demo' });
		home = await nexudusHome(2, emulator.url, CREDENTIAL);
		nodeTypes = await exportNodeTypes(home);
		// The example itself imports as is (with this home's credential on the tool).
		const example = structuredClone(EXAMPLE) as typeof EXAMPLE & { id: string };
		example.nodes.find((n) => n.type === TOOL_TYPE)!.credentials = {
			nexudusOAuth2Api: CREDENTIAL,
		};
		await importWorkflows(home, [
			example,
			// "Assign a monitor to jane@example.com": the email and the kind, nothing else.
			toolExecutorWorkflow(ids.ok, { [TOOL_NAME]: A_MONITOR_FOR_JANE }),
			// The model (or the user) asks again: Jane already holds a monitor.
			toolExecutorWorkflow(ids.again, { [TOOL_NAME]: A_MONITOR_FOR_JANE }),
			// Every argument given: a chair by SKU from a date in the workflow time zone.
			toolExecutorWorkflow(ids.dated, { [TOOL_NAME]: args('ai-tool-dated') }),
			toolExecutorWorkflow(ids.unknownEmail, {
				[TOOL_NAME]: { coworkerEmail: 'nobody@example.com', asset: 'monitor' },
			}),
			// The Tool Executor looks the arguments up by the tool name (the node name with `_`).
			toolExecutorWorkflow(ids.spacedKey, {
				[String(TOOL_NODE.name)]: args('ai-tool-spaced-key'),
			}),
			toolExecutorWorkflow(ids.badDate, {
				[TOOL_NAME]: args('ai-tool-bad-date', { assignedFrom: 'next week' }),
			}),
		]);
		// Good and bad tool calls in ONE n8n process (executeBatch runs them one after another,
		// in its database order).
		results = await executeWorkflows(home, [ids.unknownEmail, ids.spacedKey, ids.ok, ids.again, ids.dated]);
		// `execute` gives the whole error and run data of a failed run (executeBatch: one line).
		results[ids.badDate] = await executeWorkflow(home, ids.badDate);
	}, SLOW * 2);

	afterAll(async () => await emulator?.close());

	it('n8n registers n8n-nodes-nexudus.nexudusTool (ai_tool output, tool description parameters)', () => {
		const tool = nodeTypes.find((t) => t.name === TOOL_TYPE);
		expect(tool).toBeDefined();
		expect(tool!.displayName).toBe('Nexudus Tool');
		expect(tool!.description).toBe(
			'Assign inventory assets to coworkers in Nexudus Spaces, and find both by email, name or SKU',
		);
		expect(tool!.inputs).toEqual([]);
		expect(tool!.outputs).toEqual(['ai_tool']);
		expect(tool!.usableAsTool).toBeUndefined();
		expect(tool!.credentials).toEqual([{ name: 'nexudusOAuth2Api', required: true }]);
		const names = (tool!.properties as Array<{ name: string }>).map((p) => p.name);
		expect(names).toEqual(
			expect.arrayContaining(['descriptionType', 'toolDescription', 'resource', 'operation']),
		);
		expect(names).toEqual(
			expect.arrayContaining(['coworker', 'location', 'inventoryAsset', 'assignedFrom']),
		);
		// The plain node is still there, unchanged.
		const node = nodeTypes.find((t) => t.name === 'n8n-nodes-nexudus.nexudus');
		expect(node?.usableAsTool).toBe(true);
		expect(node?.outputs).toEqual(['main']);
	});

	it('the example workflow only uses node types this n8n has, at versions it knows', () => {
		for (const node of EXAMPLE.nodes) {
			const type = nodeTypes.find((t) => t.name === node.type);
			expect({ node: node.name, known: Boolean(type) }).toEqual({ node: node.name, known: true });
			expect([type!.version].flat()).toContain(node.typeVersion);
		}
		expect(EXAMPLE.connections[TOOL_NODE.name]).toEqual({
			ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
		});
	});

	it('"a monitor to jane@example.com": the tool finds Jane by email and assigns a free monitor of the default location, from now', () => {
		const result = results[ids.ok];
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const posts = janesPosts(emulator);
		expect(posts).toHaveLength(1);
		expect(posts[0].status).toBe(200);
		const body = posts[0].body as Record<string, unknown>;
		// Monitor 3012 is Lucía's: the next free one.
		expect(body).toEqual({ CoworkerId: 2021, BusinessId: 1001, InventoryAssetId: 3013, AssignedFrom: expect.any(String) });
		// No start given: now (within the run).
		expect(Math.abs(Date.parse(String(body.AssignedFrom)) - posts[0].at)).toBeLessThan(60_000);
		const [created] = emulator.db.coworkerInventoryAssets.filter((r) => r.CoworkerId === coworkers.janeDoe);
		const expected = {
			Id: created.Id,
			CoworkerId: 2021,
			BusinessId: 1001,
			InventoryAssetId: 3013,
			InventoryAssetName: 'Monitor Dell U2723QE 27" 02',
			InventoryAssetSku: 'MAD-MON-02',
			AssignedFrom: body.AssignedFrom,
			AssignedTo: null,
			Notes: null,
		};
		// What the tool returned to its caller (the Agent / Tool Executor) ...
		expect(executorResult(result)).toEqual([expected]);
		// ... and what n8n recorded as the tool node's own output.
		expect(toolOutput(result)).toEqual({ response: [expected] });
	});

	it('the same request again: nothing is created, the answer says skipped and why', () => {
		const result = results[ids.again];
		expect(result.ok).toBe(true);
		expect(janesPosts(emulator)).toHaveLength(1);
		const [answer] = executorResult(result) as Array<Record<string, unknown>>;
		expect(answer).toMatchObject({ skipped: true, CoworkerId: 2021, InventoryAssetId: 3013 });
		expect(String(answer.reason)).toMatch(/^Coworker 2021 already holds Monitor Dell U2723QE 27" 02 \(MAD-MON-02\), which matches "monitor", at Madrid - Gran Vía/);
	});

	it('every argument given: the location by name, the asset by SKU, the start in the workflow time zone', () => {
		const result = results[ids.dated];
		expect(result.ok).toBe(true);
		const posts = postsWithNote(emulator, 'ai-tool-dated');
		expect(posts.map((p) => p.status)).toEqual([200]);
		// 09:00 in Europe/Madrid (the workflow time zone) on 1 June (CEST, +02:00) is 07:00 UTC.
		expect(posts[0].body).toEqual({
			CoworkerId: coworkers.gracePark,
			BusinessId: businesses.madrid,
			InventoryAssetId: assets.madridChair1,
			AssignedFrom: '2025-06-01T07:00:00Z',
			Notes: 'ai-tool-dated',
		});
	});

	it('an email Nexudus does not know: the tool throws a readable error to its caller; nothing is sent', () => {
		const result = results[ids.unknownEmail];
		expect(result.ok).toBe(false);
		expect(result.error?.node).toBe('Tool Executor');
		expect(result.error?.message).toContain('Error executing tool: Coworker: no coworker has the email "nobody@example.com"');
		// The only creates of the whole batch are Jane's monitor and Grace's chair.
		expect(emulator.requests.filter((r) => r.method === 'POST' && r.path === ENDPOINT)).toHaveLength(2);
	});

	it('a bad date ("next week"): the tool throws a readable error to its caller; nothing is sent', () => {
		const result = results[ids.badDate];
		// The Tool Executor rethrows what tool.invoke() threw, so the run fails on it ...
		expect(result.ok).toBe(false);
		expect(result.error?.node).toBe('Tool Executor');
		expect(result.error?.message).toContain(
			'Error executing tool: Invalid Assigned From: "next week"\n\nDetails: It is not in a supported format. Use ISO 8601',
		);
		// ... and n8n recorded the tool node's own error (what an AI Agent hands the model as
		// {"error": message}) with the arguments it was called with.
		const run = result.runData[TOOL_NODE.name]?.[0];
		expect(run?.executionStatus).toBe('error');
		expect(run?.error?.message).toMatch(/^Invalid Assigned From: "next week"/);
		expect(run?.error?.description).toContain(
			'Without an offset the time is read in the workflow time zone',
		);
		expect(run?.inputOverride?.ai_tool?.[0]?.[0]?.json).toMatchObject({
			assignedFrom: 'next week',
		});
		// A handled node error, not an n8n crash: no stack from outside n8n's error classes.
		expect(result.stdout).toContain('Execution was NOT successful');
		expect(`${result.stdout}${result.stderr}`).not.toMatch(/Unhandled|uncaught|FATAL/i);
		expect(postsWithNote(emulator, 'ai-tool-bad-date')).toHaveLength(0);
	});

	it('arguments keyed by the node name with spaces are not found (the tool name has `_`)', () => {
		const result = results[ids.spacedKey];
		expect(result.ok).toBe(false);
		expect(result.error?.message).toContain('did not match expected schema');
		expect(result.error?.message).toContain('Required\n  → at coworkerEmail');
		expect(postsWithNote(emulator, 'ai-tool-spaced-key')).toHaveLength(0);
	});

	it('failed tool calls do not break n8n: good and bad calls ran in one process, each on its own', () => {
		// One `n8n executeBatch` process ran these four runs one after another.
		expect([ids.unknownEmail, ids.spacedKey, ids.ok, ids.again, ids.dated].map((id) => results[id].ok)).toEqual([
			false,
			false,
			true,
			true,
			true,
		]);
		expect(
			emulator.db.coworkerInventoryAssets
				.filter((r) => r.CoworkerId === coworkers.janeDoe || String(r.Notes).startsWith('ai-tool-'))
				.map((r) => [r.CoworkerId, r.InventoryAssetId]),
		).toEqual([
			// "dated" ran first (database order), then Jane's monitor.
			[coworkers.gracePark, assets.madridChair1],
			[coworkers.janeDoe, 3013],
		]);
	});
});
