/**
 * One-command sandbox: this package inside real n8n, talking to the local Nexudus emulator.
 *   npm run demo             editor at http://localhost:5678 with the examples and a ready credential
 *   npm run demo -- --once   headless: runs the onboarding example once and prints what it created,
 *                            then fires one "member created" event at the active trigger example
 *                            and checks the starter kit it assigned
 * Needs the pinned n8n (`npm run install-n8n`); when it is missing the demo installs it first.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import {
	DEFAULT_OWNER,
	N8N_CACHE,
	createN8nHome,
	executeWorkflow,
	findN8n,
	importCredentials,
	importWorkflows,
	outputItems,
	packPackage,
	removeTempDirs,
	startN8nServer,
	type ExecutionResult,
	type N8nHome,
	type N8nInstall,
	type N8nServer,
} from '../test/e2e/n8n.cjs';
import {
	DEFAULT_USERS,
	DEMO,
	DEMO_TOTP_SECRET,
	deliveriesIdle,
	fireEvent,
	startEmulator,
	webhooksOf,
	type Emulator,
} from '../test/emulator/server.cjs';
import { activateWorkflow, executionsSettled, until } from '../test/e2e/fixtures/activation.cjs';

export const REPO = path.resolve(__dirname, '..');
export const EXAMPLES_DIR = path.join(REPO, 'examples');
export const CREDENTIAL = { id: 'nexudusEmulator01', name: 'Nexudus (local emulator)' };
export const ONBOARDING_WORKFLOW_ID = 'nexudusOnboarding01';
export const EMULATOR_PORT = 8787;
/** The emulator signs its webhook deliveries with it; the demo credential carries the same. */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-shared-secret';
export const TRIGGER_NODE_TYPE = 'n8n-nodes-nexudus.nexudusTrigger';
export const N8N_PORT = 5678;

export type Log = (line: string) => void;

const started = Date.now();
/** A progress line with the seconds since start. */
export const log: Log = (line) => {
	const s = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
	console.log(`[demo ${s}s] ${line}`);
};

/** The first port from `first` on that nothing listens on (checked on 127.0.0.1 and all hosts). */
export async function freePortFrom(first: number, tries = 50): Promise<number> {
	const canListen = (port: number, host?: string) =>
		new Promise<boolean>((resolve) => {
			const srv = net.createServer();
			srv.once('error', () => resolve(false));
			srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
		});
	for (let port = first; port < first + tries; port++) {
		if ((await canListen(port, '127.0.0.1')) && (await canListen(port))) return port;
	}
	throw new Error(`no free port in ${first}-${first + tries - 1}`);
}

function runQuiet(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; inherit?: boolean } = {},
): Promise<{ code: number; output: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd ?? REPO,
			env: opts.env ?? process.env,
			stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
		child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
	});
}

/** The pinned n8n 2.x; installs it (scripts/install-n8n.sh, idempotent) when it is missing. */
export async function ensureN8n(logLine: Log = log): Promise<N8nInstall> {
	try {
		return findN8n(2);
	} catch (error) {
		logLine((error as Error).message.split('\n')[0]);
	}
	logLine(
		'Installing it now with `npm run install-n8n` (once: about 7 minutes and 3 GB in ' +
			`${N8N_CACHE}; Ctrl-C to stop and run it yourself later).`,
	);
	const r = await runQuiet('bash', [path.join(REPO, 'scripts', 'install-n8n.sh')], {
		// The demo only needs n8n 2.x; `npm run install-n8n` adds 1.x for the tests.
		env: { ...process.env, NEXUDUS_SKIP_N8N1: '1' },
		inherit: true,
	});
	if (r.code !== 0) {
		throw new Error('Installing n8n failed (see above). Retry with `npm run install-n8n`.');
	}
	return findN8n(2);
}

/** `npm run build` with its output kept unless it fails, then `npm pack`. */
export async function buildAndPack(logLine: Log = log): Promise<string> {
	logLine('Building the package (npm run build)...');
	const build = await runQuiet('npm', ['run', 'build']);
	if (build.code !== 0) {
		throw new Error(`npm run build failed:\n${build.output.trim().slice(-4000)}`);
	}
	logLine('Packing it (npm pack) as users install it...');
	return await packPackage(REPO);
}

/** Every workflow in examples/*.json (a file may hold one workflow or an array of them). */
export async function loadExamples(dir = EXAMPLES_DIR): Promise<Array<Record<string, any>>> {
	const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
	const workflows: Array<Record<string, any>> = [];
	for (const file of files) {
		const parsed = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
		for (const wf of [parsed].flat() as Array<Record<string, any>>) {
			if (!wf || !Array.isArray(wf.nodes)) continue;
			// import:workflow needs an id; derive a stable one from the file name when it has none.
			if (typeof wf.id !== 'string' || wf.id === '') {
				wf.id = `example${path.basename(file, '.json').replace(/[^A-Za-z0-9]/g, '')}1`.slice(0, 36);
			}
			workflows.push(wf);
		}
	}
	return workflows;
}

export function emulatorCredential(emulatorUrl: string) {
	return {
		...CREDENTIAL,
		type: 'nexudusOAuth2Api',
		data: {
			email: 'admin@example.com',
			password: 'demo-password',
			totpSecret: '',
			clientId: 'n8n-nodes-nexudus',
			baseUrl: emulatorUrl,
			webhookSecret: DEMO_WEBHOOK_SECRET,
		},
	};
}

/** The example workflows that start with the Nexudus Trigger. */
export function triggerWorkflows(
	workflows: Array<Record<string, any>>,
): Array<Record<string, any>> {
	return workflows.filter((wf) =>
		wf.nodes.some((node: { type?: string }) => node.type === TRIGGER_NODE_TYPE),
	);
}

/** Activates the trigger examples, as the editor's switch does: each registers its Nexudus webhooks. */
export async function activateTriggers(
	sandbox: Sandbox,
	n8n: N8nServer,
	logLine: Log = log,
): Promise<void> {
	for (const wf of triggerWorkflows(sandbox.workflows)) {
		logLine(`Activating "${wf.name}"...`);
		await activateWorkflow(n8n, wf.id);
	}
	// One webhook per event and location (no location chosen: every location).
	const expected = triggerWorkflows(sandbox.workflows)
		.flatMap((wf) => wf.nodes.filter((node: { type?: string }) => node.type === TRIGGER_NODE_TYPE))
		.reduce((sum: number, node: Record<string, any>) => {
			const events = (node.parameters?.events ?? []).length;
			const locations =
				(node.parameters?.locations ?? []).length || sandbox.emulator.db.businesses.length;
			return sum + events * locations;
		}, 0);
	// n8n 2.x registers webhooks after answering the activation.
	await until(
		'the trigger webhooks in the emulator',
		async () => webhooksOf(sandbox.emulator.db).webhooks.length >= expected,
		60_000,
	);
	logLine(
		`${webhooksOf(sandbox.emulator.db).webhooks.length} Nexudus webhook(s) registered in the emulator.`,
	);
}

export interface Sandbox {
	home: N8nHome;
	emulator: Emulator;
	workflows: Array<Record<string, any>>;
	/** Set once `startEditor` ran. */
	n8n?: N8nServer;
	stop(): Promise<void>;
}

/**
 * Builds and packs the package, makes a fresh n8n home with it installed, starts the emulator
 * (demo seed) and imports the emulator credential and every example workflow.
 */
export async function prepareSandbox(
	opts: { logLine?: Log; emulatorPort?: number } = {},
): Promise<Sandbox> {
	const logLine = opts.logLine ?? log;
	const install = await ensureN8n(logLine);
	const tarball = await buildAndPack(logLine);
	logLine(`Creating a fresh n8n ${install.version} home with the package installed...`);
	const home = await createN8nHome(install, { packageTarball: tarball });
	const port = await freePortFrom(opts.emulatorPort ?? EMULATOR_PORT);
	const emulator = await startEmulator({ seed: 'demo', port });
	// Deliveries are signed as Nexudus signs them when a shared secret is set (Settings > Integrations).
	webhooksOf(emulator.db).settings.secret = DEMO_WEBHOOK_SECRET;
	logLine(`Nexudus emulator (demo data) listening on ${emulator.url}`);
	const sandbox: Sandbox = {
		home,
		emulator,
		workflows: [],
		stop: async () => {
			await sandbox.n8n?.stop().catch(() => undefined);
			await emulator.close().catch(() => undefined);
			removeTempDirs();
		},
	};
	try {
		logLine(`Importing the credential "${CREDENTIAL.name}"...`);
		await importCredentials(home, [emulatorCredential(emulator.url)]);
		sandbox.workflows = await loadExamples();
		logLine(
			`Importing ${sandbox.workflows.length} example workflow(s): ` +
				sandbox.workflows.map((w) => `"${w.name}"`).join(', '),
		);
		await importWorkflows(home, sandbox.workflows);
	} catch (error) {
		await sandbox.stop();
		throw error;
	}
	return sandbox;
}

/** `n8n start` on the sandbox home with the owner account set up. */
export async function startEditor(
	sandbox: Sandbox,
	opts: { logLine?: Log; port?: number } = {},
): Promise<N8nServer> {
	const logLine = opts.logLine ?? log;
	const port = await freePortFrom(opts.port ?? N8N_PORT);
	logLine(`Starting n8n on http://localhost:${port} (takes 10-30 s)...`);
	// The address Nexudus (here the emulator) delivers webhooks to.
	sandbox.home.env.WEBHOOK_URL = `http://127.0.0.1:${port}/`;
	sandbox.n8n = await startN8nServer(sandbox.home, { port, owner: DEFAULT_OWNER });
	return sandbox.n8n;
}

/**
 * Stops the sandbox on SIGINT/SIGTERM. Ctrl-C reaches npm, tsx and this process, and they relay it
 * again: repeats only log, as exiting early would leave n8n (its own process group) running.
 * Stopping is bounded: n8n gets SIGKILL when it has not exited 15 s after SIGTERM.
 */
export function stopOnSignals(sandbox: () => Sandbox | undefined, logLine: Log = log): void {
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		logLine(`${signal}: stopping n8n and the emulator...`);
		const s = sandbox();
		(s ? s.stop() : Promise.resolve(removeTempDirs())).then(
			() => {
				logLine('Stopped; the temporary n8n home is deleted.');
				process.exit(0);
			},
			() => process.exit(1),
		);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
}

function printEditorHelp(sandbox: Sandbox, n8n: N8nServer): void {
	const emulatorUsers = DEFAULT_USERS.map((u) => {
		const roles = u.roles === 'admin' || !u.roles ? 'admin' : 'limited roles';
		const twoFactor = u.totpSecret ? `, two-factor secret ${DEMO_TOTP_SECRET}` : '';
		return `      ${u.email} / ${u.password}  (${roles}${twoFactor})`;
	});
	console.log(
		[
			'',
			'n8n with n8n-nodes-nexudus is ready.',
			'',
			`  Editor:    ${n8n.url}`,
			`  Login:     ${n8n.owner.email} / ${n8n.owner.password}`,
			`  Emulator:  ${sandbox.emulator.url}  (a local stand-in for Nexudus, demo data)`,
			'    Nexudus logins:',
			...emulatorUsers,
			`  Credential "${CREDENTIAL.name}" is set up with admin@example.com.`,
			'',
			"  Try it: open Workflows > Onboarding: assign a starter kit, click Execute workflow, then open the 'Assign asset' node.",
			'',
			'  Triggers: the Nexudus Trigger examples are active; fire an event in the emulator, then open Executions:',
			`    curl -s -X POST ${sandbox.emulator.url}/_emulator/events -H 'Content-Type: application/json' \\`,
			`      -d '{"action":"CoworkerCreate","record":{"FullName":"Nora Vidal","Email":"nora@example.com"},"businessId":${DEMO.businesses.madrid}}'`,
			`    curl -s -X POST ${sandbox.emulator.url}/_emulator/events -H 'Content-Type: application/json' \\`,
			`      -d '{"action":"CoworkerContractCancel","record":{"CoworkerId":${DEMO.coworkers.luciaFernandez}}}'`,
			`    Deliveries (status, signature, retries): ${sandbox.emulator.url}/_emulator/deliveries`,
			'',
			'Ctrl-C stops n8n and the emulator and deletes this temporary n8n.',
			'',
		].join('\n'),
	);
}

/** What the onboarding run created, as printed by `--once`. */
export function summarizeOnboarding(result: ExecutionResult): string[] {
	const lines: string[] = [];
	const assigned = result.runData.Assigned ? outputItems(result, 'Assigned') : [];
	const starter = result.runData['Starter kit'] ? outputItems(result, 'Starter kit') : [];
	lines.push(`Assigned ${assigned.length} asset(s):`);
	assigned.forEach((item, i) => {
		const j = item.json ?? {};
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		const input = starter[paired?.item ?? i]?.json ?? {};
		const kind = j.kind ?? input.kind ?? '?';
		lines.push(
			`  ${String(kind).padEnd(8)} Id ${j.Id}  AssignedFrom ${j.AssignedFrom}` +
				(j.InventoryAssetName ? `  (${j.InventoryAssetName})` : ''),
		);
	});
	if (result.runData['Collect failures']) {
		const failures = outputItems(result, 'Collect failures')[0]?.json ?? {};
		lines.push(`Failures: ${failures.failed ?? 0}`);
		for (const f of failures.failures ?? []) {
			lines.push(`  ${f.kind} for ${f.email}: ${f.error ?? ''} ${f.message ?? ''}`.trimEnd());
		}
	} else {
		lines.push('Failures: 0 (nothing reached "Collect failures")');
	}
	return lines;
}

async function runOnce(sandbox: Sandbox): Promise<number> {
	log(`Running "Onboarding: assign a starter kit" once (n8n execute)...`);
	const result = await executeWorkflow(sandbox.home, ONBOARDING_WORKFLOW_ID);
	if (!result.ok) {
		console.log(`The run failed: ${result.error?.message ?? 'unknown error'}`);
		if (result.error?.node) console.log(`  on node: ${result.error.node}`);
		if (result.error?.description) console.log(`  ${result.error.description}`);
		return 1;
	}
	for (const line of summarizeOnboarding(result)) console.log(line);
	const code = await fireOnce(sandbox);
	log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
	return code;
}

/** `--once`, second part: the trigger example live, one "member created" and its starter kit. */
async function fireOnce(sandbox: Sandbox): Promise<number> {
	const n8n = await startEditor(sandbox);
	await activateTriggers(sandbox, n8n);
	const onboarding = triggerWorkflows(sandbox.workflows).find((wf) =>
		wf.nodes.some(
			(node: Record<string, any>) =>
				node.type === TRIGGER_NODE_TYPE && node.parameters?.events?.includes('CoworkerCreate'),
		),
	);
	if (!onboarding) {
		console.log('No trigger example on "Member: Created" in examples/.');
		return 1;
	}
	log('Firing "member created" in the emulator (Nora Vidal, Madrid)...');
	const fired = fireEvent(sandbox.emulator.db, {
		action: 'CoworkerCreate',
		record: { FullName: 'Nora Vidal', Email: 'nora.vidal@example.com' },
		businessId: DEMO.businesses.madrid,
	});
	await deliveriesIdle(sandbox.emulator.db);
	const attempts = webhooksOf(sandbox.emulator.db).attempts.filter((a) =>
		fired.deliveryIds.includes(a.deliveryId),
	);
	console.log(
		`Delivered to n8n: ${attempts.map((a) => `HTTP ${a.status}${a.signature ? ' (signed)' : ''}`).join(', ') || 'nowhere'}`,
	);
	const runs = await executionsSettled(n8n, onboarding.id, 1);
	const memberId = Number(fired.record.Id);
	const kit = sandbox.emulator.db.coworkerInventoryAssets.filter((a) => a.CoworkerId === memberId);
	console.log(
		`"${onboarding.name}": execution ${runs[0].id} ${runs[0].status}; ${kit.length} asset(s) assigned to member ${memberId}:`,
	);
	for (const a of kit) {
		const asset = sandbox.emulator.db.inventoryAsset(a.InventoryAssetId);
		console.log(`  Id ${a.Id}  ${asset?.Name ?? a.InventoryAssetId}  (${a.Notes ?? ''})`);
	}
	return runs[0].status === 'success' && kit.length > 0 ? 0 : 1;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { once: { type: 'boolean', default: false } },
		allowPositionals: false,
	});
	let sandbox: Sandbox | undefined;
	stopOnSignals(() => sandbox);
	let code = 0;
	try {
		sandbox = await prepareSandbox();
		if (values.once) {
			code = await runOnce(sandbox);
		} else {
			const n8n = await startEditor(sandbox);
			await activateTriggers(sandbox, n8n);
			printEditorHelp(sandbox, n8n);
			return; // runs until Ctrl-C
		}
	} catch (error) {
		console.error(`demo failed: ${(error as Error).message}`);
		code = 1;
	}
	await sandbox?.stop();
	removeTempDirs();
	process.exit(code);
}

if (require.main === module) {
	// Fail clearly when the examples are missing (run from a partial checkout).
	if (!existsSync(EXAMPLES_DIR)) {
		console.error(`No examples/ folder in ${REPO}.`);
		process.exit(1);
	}
	void main();
}
