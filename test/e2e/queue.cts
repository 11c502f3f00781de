// n8n's queue mode, for real: Redis and PostgreSQL started on 127.0.0.1 (own data, free ports,
// stopped after), a main process that receives webhooks and enqueues, and `n8n worker`
// processes that run the executions, each an n8n home of its own with the package unpacked
// from its tarball, as separate machines or containers would have it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, rmSync } from 'node:fs';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(text: string, chars = 3000): string {
	return text.trim().slice(-chars);
}

/** Runs a command to its end; throws with its output when it fails. */
function runSync(cmd: string, args: string[], what: string): string {
	const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
	if (r.status !== 0) {
		throw new Error(`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${tail(`${r.stdout ?? ''}\n${r.stderr ?? ''}`)}`);
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
	throw new Error('redis-server is not installed: `apt-get install -y redis-server` (CI: .ci/run installs it)');
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
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
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
		throw new Error('PostgreSQL is not installed: `apt-get install -y postgresql` (CI: .ci/run installs it)');
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
		spawnSync(...asServerUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']), { encoding: 'utf8' });
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		runSync(
			...asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']),
			'initdb',
		);
		const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
		runSync(
			...asServerUser(pgCtl, ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']),
			'pg_ctl start',
		);
	} catch (error) {
		const log = existsSync(path.join(dir, 'server.log')) ? await fs.readFile(path.join(dir, 'server.log'), 'utf8') : '';
		await stop();
		throw new Error(`${(error as Error).message}\n${tail(log)}`);
	}
	const psql = path.join(bin, 'psql');
	const query = (sql: string, database = 'n8n') =>
		runSync(
			psql,
			['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
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
	return { host: '127.0.0.1', port, user: 'postgres', database: 'n8n', query: (sql) => query(sql), stop };
}

// --- n8n in queue mode --------------------------------------------------------------------------

export interface QueueCluster {
	main: N8nServer;
	/** The main process's home: CLI commands (import, publish) run with it. */
	home: N8nHome;
	workers: Array<{ home: N8nHome; output(): string; healthUrl: string }>;
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
			throw new Error(`n8n ${args[0]} failed (exit ${r.exitCode}):\n${tail(`${r.stdout}\n${r.stderr}`)}`);
		}
	}
}

/** Starts `n8n worker` and waits until its health check says ready. */
async function startWorker(home: N8nHome, concurrency: number) {
	const port = Number(home.env.QUEUE_HEALTH_CHECK_PORT);
	const { child, output } = spawnLogged(home.install.n8nBin, ['worker', `--concurrency=${concurrency}`], {
		cwd: home.dir,
		env: home.env,
	});
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

/**
 * A main process and `workers` worker processes on one Redis and one PostgreSQL, each with its
 * own n8n home (the package unpacked from `tarball`) and its own ports. The database must have
 * been prepared (prepareQueueDatabase) with the main home returned by createQueueHomes.
 */
export async function createQueueHomes(
	install: N8nInstall,
	redis: Redis,
	pg: Postgres,
	tarball: string,
	workers: number,
	env: NodeJS.ProcessEnv = {},
): Promise<{ main: N8nHome; workers: N8nHome[] }> {
	const shared = { ...queueEnv(redis, pg), ...env };
	const make = async () => {
		const home = await createN8nHome(install, { packageTarball: tarball });
		home.env = {
			...home.env,
			...shared,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(await getFreePort()),
			N8N_RUNNERS_BROKER_PORT: String(await getFreePort()),
			N8N_PORT: String(await getFreePort()),
		};
		return home;
	};
	const main = await make();
	const others: N8nHome[] = [];
	for (let i = 0; i < workers; i++) others.push(await make());
	return { main, workers: others };
}

export async function startQueueCluster(
	homes: { main: N8nHome; workers: N8nHome[] },
	opts: { concurrency?: number } = {},
): Promise<QueueCluster> {
	const main = await startN8nServer(homes.main, { timeoutMs: 240_000 });
	const started: Array<{ child: ChildProcess; output(): string; healthUrl: string; home: N8nHome }> = [];
	const stop = async () => {
		await Promise.all(started.map((w) => stopChild(w.child)));
		await main.stop();
	};
	try {
		// One after the other: two n8n start-ups at once on two cores take longer than in turn.
		for (const home of homes.workers) {
			started.push({ ...(await startWorker(home, opts.concurrency ?? 10)), home });
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		main,
		home: homes.main,
		workers: started.map(({ home, output, healthUrl }) => ({ home, output, healthUrl })),
		webhookUrl: (webhookPath) => `${main.url}/webhook/${webhookPath}`,
		stop,
	};
}
