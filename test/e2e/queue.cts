// n8n's queue mode, for real: Redis and PostgreSQL started on 127.0.0.1 (own data, free ports,
// stopped after), a main process that receives webhooks and enqueues, `n8n worker` processes
// that run the executions and optionally `n8n webhook` processes, each an n8n home of its own as
// separate machines or containers would have it. Each process installs the package as the docker
// compose recipe (examples/docker/compose.yaml) has it: with that file's package variables, by
// n8n's own installer, from registry.npmjs.org as a registry on 127.0.0.1 plays it (registry.cts:
// the one difference is the network, a proxy and a CA for npm only, as there is no internet here).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	createN8nHome,
	getFreePort,
	runN8n,
	startN8nServer,
	type CredentialInput,
	type N8nHome,
	type N8nInstall,
	type N8nServer,
} from './n8n.cjs';
import { npmSetup, startLocalRegistry, type LocalRegistry } from './registry.cjs';
import { communityPackages, packageInstallEnv, COMPOSE_FILE } from '../support/compose.cjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(text: string, chars = 3000): string {
	return text.trim().slice(-chars);
}

/** Runs a command to its end; throws with its output when it fails. */
function runSync(cmd: string, args: string[], what: string): string {
	const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
	if (r.status !== 0) {
		throw new Error(
			`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${tail(`${r.stdout ?? ''}\n${r.stderr ?? ''}`)}`,
		);
	}
	return r.stdout;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await closed;
	clearTimeout(timer);
}

/** Spawns a long-running process in its own group, keeping the last 200 kB of its output. */
function spawnLogged(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }) {
	const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	const keep = (b: Buffer) => {
		log = (log + b.toString('utf8')).slice(-200_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	return { child, output: () => log };
}

// --- Redis --------------------------------------------------------------------------------------

export interface Redis {
	host: string;
	port: number;
	stop(): Promise<void>;
}

/** Where Debian's redis-server is, or a hint on how to install it. */
export function findRedisServer(): string {
	for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (existsSync(candidate)) return candidate;
	}
	throw new Error(
		'redis-server is not installed: `apt-get install -y redis-server` (CI: .ci/run installs it)',
	);
}

async function redisPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (b) => {
			answer += b.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** redis-server on 127.0.0.1, a free port, nothing saved to disk. */
export async function startRedis(): Promise<Redis> {
	const port = await getFreePort();
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexudus-redis-'));
	const { child, output } = spawnLogged(
		findRedisServer(),
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ cwd: dir },
	);
	const stop = async () => {
		await stopChild(child);
		rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 20_000;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not start on port ${port}:\n${tail(output())}`);
		}
		await sleep(100);
	}
	return { host: '127.0.0.1', port, stop };
}

// --- PostgreSQL ---------------------------------------------------------------------------------

export interface Postgres {
	host: string;
	port: number;
	user: string;
	database: string;
	/** Runs SQL with psql; rows as arrays of column texts. */
	query(sql: string): string[][];
	stop(): Promise<void>;
}

/** The newest PostgreSQL server binaries installed by Debian's postgresql package. */
export function findPostgresBin(): string {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root)
		? readdirSync(root)
				.filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error(
			'PostgreSQL is not installed: `apt-get install -y postgresql` (CI: .ci/run installs it)',
		);
	}
	return path.join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
	if (process.getuid?.() !== 0) return [cmd, args];
	return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

/** A throwaway PostgreSQL cluster on 127.0.0.1 (trust auth, fsync off) with database `n8n`. */
export async function startPostgres(): Promise<Postgres> {
	const bin = findPostgresBin();
	const port = await getFreePort();
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexudus-pg-'));
	const data = path.join(dir, 'data');
	await fs.mkdir(data);
	if (process.getuid?.() === 0) {
		const ids = runSync('id', ['-u', 'postgres'], 'id -u postgres').trim();
		const gid = runSync('id', ['-g', 'postgres'], 'id -g postgres').trim();
		await fs.chown(dir, Number(ids), Number(gid));
		await fs.chown(data, Number(ids), Number(gid));
	}
	const pgCtl = path.join(bin, 'pg_ctl');
	const stop = async () => {
		spawnSync(...asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), {
			encoding: 'utf8',
		});
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		runSync(
			...asServerUser(path.join(bin, 'initdb'), [
				'-D',
				data,
				'-U',
				'postgres',
				'--auth=trust',
				'-E',
				'UTF8',
				'--no-sync',
			]),
			'initdb',
		);
		const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		runSync(
			...asServerUser(pgCtl, [
				'-D',
				data,
				'-o',
				options,
				'-l',
				path.join(dir, 'server.log'),
				'-w',
				'-t',
				'60',
				'start',
			]),
			'pg_ctl start',
		);
	} catch (error) {
		const log = existsSync(path.join(dir, 'server.log'))
			? await fs.readFile(path.join(dir, 'server.log'), 'utf8')
			: '';
		await stop();
		throw new Error(`${(error as Error).message}\n${tail(log)}`);
	}
	const psql = path.join(bin, 'psql');
	const query = (sql: string, database = 'n8n') =>
		runSync(
			psql,
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				database,
				'-X',
				'-A',
				'-t',
				'-F',
				'\t',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			'psql',
		)
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	try {
		query('CREATE DATABASE n8n', 'postgres');
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		host: '127.0.0.1',
		port,
		user: 'postgres',
		database: 'n8n',
		query: (sql) => query(sql),
		stop,
	};
}

// --- n8n in queue mode --------------------------------------------------------------------------

export interface QueueCluster {
	main: N8nServer;
	/** The main process's home: CLI commands (import, publish) run with it. */
	home: N8nHome;
	workers: Array<{ home: N8nHome; output(): string; healthUrl: string }>;
	/** `n8n webhook` processes, each serving production webhooks at its url. */
	webhooks: Array<{ home: N8nHome; output(): string; url: string }>;
	/** Where every process installed the package from. */
	registry?: LocalRegistry;
	/** The main process's URL of a production webhook path. */
	webhookUrl(webhookPath: string): string;
	stop(): Promise<void>;
}

/** What every process of one queue-mode n8n shares: the queue, the database, the key. */
function queueEnv(redis: Redis, pg: Postgres): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		// Successful runs are kept, so their status and run data can be read back.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
}

/**
 * Imports credentials and workflows into the shared database and publishes (activates) the
 * given workflows, as an operator would before starting: the CLI of the main process's home.
 */
export async function prepareQueueDatabase(
	home: N8nHome,
	input: { credentials: CredentialInput[]; workflows: object[]; activate: string[] },
): Promise<void> {
	const inputs = path.join(home.dir, 'inputs');
	await fs.mkdir(inputs, { recursive: true });
	const credFile = path.join(inputs, 'queue-credentials.json');
	const wfFile = path.join(inputs, 'queue-workflows.json');
	await fs.writeFile(credFile, JSON.stringify(input.credentials));
	await fs.writeFile(wfFile, JSON.stringify(input.workflows));
	const steps: Array<[string[], RegExp]> = [
		[['import:credentials', `--input=${credFile}`], /Successfully imported \d+ credential/],
		[['import:workflow', `--input=${wfFile}`], /Successfully imported \d+ workflow/],
		...input.activate.map((id): [string[], RegExp] => [['publish:workflow', `--id=${id}`], /./]),
	];
	for (const [args, ok] of steps) {
		const r = await runN8n(home, args, { timeoutMs: 300_000 });
		if (r.exitCode !== 0 || !ok.test(r.stdout + r.stderr)) {
			throw new Error(
				`n8n ${args[0]} failed (exit ${r.exitCode}):\n${tail(`${r.stdout}\n${r.stderr}`)}`,
			);
		}
	}
}

/** Starts `n8n worker` and waits until its health check says ready. */
async function startWorker(home: N8nHome, concurrency: number) {
	const port = Number(home.env.QUEUE_HEALTH_CHECK_PORT);
	const { child, output } = spawnLogged(
		home.install.n8nBin,
		['worker', `--concurrency=${concurrency}`],
		{
			cwd: home.dir,
			env: home.env,
		},
	);
	const healthUrl = `http://127.0.0.1:${port}/healthz/readiness`;
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n worker exited early:\n${tail(output())}`);
		if (Date.now() > deadline) {
			await stopChild(child);
			throw new Error(`n8n worker was not ready in time:\n${tail(output())}`);
		}
		const res = await fetch(healthUrl).catch(() => undefined);
		if (res?.ok) break;
		await sleep(500);
	}
	return { child, output, healthUrl };
}

/** The n8n homes of one queue-mode cluster, and the registry their package comes from. */
export interface QueueHomes {
	main: N8nHome;
	workers: N8nHome[];
	/** `n8n webhook` processes (none unless asked for). */
	webhooks?: N8nHome[];
	registry?: LocalRegistry;
}

/**
 * A main process, `workers` worker processes and `webhooks` webhook processes on one Redis and
 * one PostgreSQL, each with its own n8n home and ports, none with the package yet: each installs
 * it at start with the recipe's variables, from a local registry serving `tarball`. The database
 * must have been prepared (prepareQueueDatabase) with the main home returned here.
 */
export async function createQueueHomes(
	install: N8nInstall,
	redis: Redis,
	pg: Postgres,
	tarball: string,
	workers: number,
	env: NodeJS.ProcessEnv = {},
	opts: { webhooks?: number } = {},
): Promise<QueueHomes> {
	const registry = await startLocalRegistry(tarball);
	const recipe = packageInstallEnv();
	const listed = communityPackages(recipe);
	if (!listed.some((p) => p.name === registry.name && p.version === registry.version)) {
		await registry.close();
		throw new Error(
			`${COMPOSE_FILE} installs ${JSON.stringify(listed)}, the tarball is ${registry.name}@${registry.version}: ` +
				'put the package version in the recipe (test/docs/compose.test.cts says the same)',
		);
	}
	const shared = {
		...queueEnv(redis, pg),
		...recipe,
		...env,
	};
	const make = async () => {
		const home = await createN8nHome(install);
		home.env = {
			...home.env,
			...shared,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(await getFreePort()),
			N8N_RUNNERS_BROKER_PORT: String(await getFreePort()),
			N8N_PORT: String(await getFreePort()),
		};
		// As in a container: npm gets no settings from the `npm test` that started jest, only its own.
		for (const key of Object.keys(home.env)) if (/^npm_/i.test(key)) delete home.env[key];
		Object.assign(home.env, await npmSetup(registry, home.dir));
		return home;
	};
	const main = await make();
	const others: N8nHome[] = [];
	for (let i = 0; i < workers; i++) others.push(await make());
	const webhookHomes: N8nHome[] = [];
	for (let i = 0; i < (opts.webhooks ?? 0); i++) webhookHomes.push(await make());
	return { main, workers: others, webhooks: webhookHomes, registry };
}

/** The version of `name` installed in an n8n home's nodes folder, or undefined. */
export function installedVersion(home: N8nHome, name: string): string | undefined {
	try {
		const file = path.join(home.dir, '.n8n', 'nodes', 'node_modules', name, 'package.json');
		return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
	} catch {
		return undefined;
	}
}

/**
 * Waits until n8n's installer has installed and loaded the registry's package in a process
 * (its log says so, and the package is in the home's nodes folder); throws with its output.
 */
async function awaitPackage(
	what: string,
	home: N8nHome,
	registry: LocalRegistry | undefined,
	output: () => string,
	exited: () => boolean,
): Promise<void> {
	if (!registry) return;
	const installed = new RegExp(
		`Community package installed: ${registry.name}|Installed community package '${registry.name}@`,
	);
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (installed.test(output()) && installedVersion(home, registry.name) === registry.version)
			return;
		if (exited() || Date.now() > deadline) {
			throw new Error(
				`${what} did not install ${registry.name}@${registry.version} (found ${
					installedVersion(home, registry.name) ?? 'nothing'
				}; registry saw: ${registry.requests.join(', ') || 'no request'}):\n${tail(output())}`,
			);
		}
		await sleep(250);
	}
}

/** Starts `n8n webhook` and waits until it answers its readiness check. */
async function startWebhookProcess(home: N8nHome) {
	const port = Number(home.env.N8N_PORT);
	const { child, output } = spawnLogged(home.install.n8nBin, ['webhook'], {
		cwd: home.dir,
		env: home.env,
	});
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 180_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`n8n webhook exited early:\n${tail(output())}`);
		if (Date.now() > deadline) {
			await stopChild(child);
			throw new Error(`n8n webhook was not ready in time:\n${tail(output())}`);
		}
		const res = await fetch(`${url}/healthz/readiness`).catch(() => undefined);
		if (res?.ok) break;
		await sleep(500);
	}
	return { child, output, url };
}

const exitedOf = (child: ChildProcess) => () =>
	child.exitCode !== null || child.signalCode !== null;

export async function startQueueCluster(
	homes: QueueHomes,
	opts: { concurrency?: number } = {},
): Promise<QueueCluster> {
	const { registry } = homes;
	const started: Array<{ child: ChildProcess; output(): string; home: N8nHome }> = [];
	let main: N8nServer | undefined;
	const stop = async () => {
		await Promise.all(started.map((p) => stopChild(p.child)));
		await main?.stop();
		await registry?.close();
	};
	const workers: QueueCluster['workers'] = [];
	const webhooks: QueueCluster['webhooks'] = [];
	try {
		// The main process installs the package (N8N_COMMUNITY_PACKAGES) before it serves the editor.
		main = await startN8nServer(homes.main, { timeoutMs: 240_000 });
		await awaitPackage('the main process', homes.main, registry, main.output, () => false);
		// One after the other: two n8n start-ups at once on two cores take longer than in turn. Each
		// installs what the database lists and it lacks (N8N_REINSTALL_MISSING_PACKAGES).
		for (const [i, home] of homes.workers.entries()) {
			const worker = await startWorker(home, opts.concurrency ?? 10);
			started.push({ ...worker, home });
			await awaitPackage(`worker ${i + 1}`, home, registry, worker.output, exitedOf(worker.child));
			workers.push({ home, output: worker.output, healthUrl: worker.healthUrl });
		}
		for (const [i, home] of (homes.webhooks ?? []).entries()) {
			const webhook = await startWebhookProcess(home);
			started.push({ ...webhook, home });
			await awaitPackage(
				`webhook process ${i + 1}`,
				home,
				registry,
				webhook.output,
				exitedOf(webhook.child),
			);
			webhooks.push({ home, output: webhook.output, url: webhook.url });
		}
	} catch (error) {
		await stop();
		throw error;
	}
	const mainServer = main;
	return {
		main: mainServer,
		home: homes.main,
		workers,
		webhooks,
		registry,
		webhookUrl: (webhookPath) => `${mainServer.url}/webhook/${webhookPath}`,
		stop,
	};
}
