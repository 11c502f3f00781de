// The docker compose recipe's install, for real (examples/docker/compose.yaml): in queue mode a
// main process, two workers and a webhook process, none with the package, each given the
// recipe's N8N_COMMUNITY_PACKAGES* and N8N_REINSTALL_MISSING_PACKAGES. n8n's own installer puts
// the package on every process (the main process from the list, the others from what the
// database records), from a registry on 127.0.0.1 that serves the `npm pack` tarball as npm
// serves a published version. Then a production webhook, received by the webhook process, runs
// the Nexudus node on a worker. Needs redis-server and PostgreSQL (Debian packages).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../emulator/server.cjs';
import { REPO } from './fixtures/nexudus.cjs';
import { findN8n, packPackage, removeTempDirs } from './n8n.cjs';
import {
	createQueueHomes,
	installedVersion,
	prepareQueueDatabase,
	startPostgres,
	startQueueCluster,
	startRedis,
	type Postgres,
	type QueueCluster,
	type Redis,
} from './queue.cjs';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};
const CREDENTIAL = { id: 'nexudusInstall001', name: 'Nexudus (install check)' };
const WORKFLOW_ID = 'queueInstallChk01';
const WEBHOOK_PATH = 'install-check';

let emulator: Emulator;
let redis: Redis | undefined;
let pg: Postgres | undefined;
let cluster: QueueCluster | undefined;

function workflow() {
	const credentials = { nexudusOAuth2Api: CREDENTIAL };
	return {
		id: WORKFLOW_ID,
		name: 'Install check (queue mode)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'install-check-webhook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path: WEBHOOK_PATH,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: 'install-check-coworkers',
				name: 'Coworkers',
				type: `${pkg.name}.nexudus`,
				typeVersion: 1,
				position: [200, 0],
				parameters: { resource: 'coworker', operation: 'getAll', limit: 2 },
				credentials,
			},
		],
		connections: { Webhook: { main: [[{ node: 'Coworkers', type: 'main', index: 0 }]] } },
	};
}

beforeAll(async () => {
	emulator = await startEmulator({ seed: 'minimal' });
	[redis, pg] = await Promise.all([startRedis(), startPostgres()]);
	const homes = await createQueueHomes(
		findN8n(2),
		redis,
		pg,
		await packPackage(REPO),
		2,
		{},
		{ webhooks: 1 },
	);
	await prepareQueueDatabase(homes.main, {
		credentials: [
			{
				...CREDENTIAL,
				type: 'nexudusOAuth2Api',
				data: {
					email: 'admin@example.com',
					password: 'demo-password',
					totpSecret: '',
					clientId: 'n8n-nodes-nexudus',
					baseUrl: emulator.url,
					accessToken: '',
				},
			},
		],
		workflows: [workflow()],
		activate: [WORKFLOW_ID],
	});
	cluster = await startQueueCluster(homes, { concurrency: 2 });
}, 900_000);

afterAll(async () => {
	await cluster?.stop().catch(() => undefined);
	await redis?.stop().catch(() => undefined);
	await pg?.stop().catch(() => undefined);
	await emulator?.close();
	removeTempDirs();
}, 120_000);

describe('queue mode, installed as the docker compose recipe installs it', () => {
	it('every process (main, two workers, the webhook process) has this version, from the registry', () => {
		const c = cluster!;
		const homes = [c.home, ...c.workers.map((w) => w.home), ...c.webhooks.map((w) => w.home)];
		expect(homes.map((home) => installedVersion(home, pkg.name))).toEqual([
			pkg.version,
			pkg.version,
			pkg.version,
			pkg.version,
		]);
		// Each process downloaded it itself: nothing is shared between them but the database.
		expect(c.registry!.tarballDownloads()).toBe(4);
	});

	it('the main process installed it from N8N_COMMUNITY_PACKAGES, the others from what the database records', () => {
		const c = cluster!;
		expect(c.main.output()).toMatch(
			new RegExp(`Installed community package '${pkg.name}@${pkg.version}' from env`),
		);
		for (const process of [...c.workers, ...c.webhooks]) {
			expect(process.output()).toMatch(/Attempting to reinstall missing packages/);
			expect(process.output()).not.toMatch(/Unrecognized node type/);
		}
		const [row] = pg!.query(`SELECT "packageName", "installedVersion" FROM installed_packages`);
		expect(row).toEqual([pkg.name, pkg.version]);
	});

	it('a production webhook, received by the webhook process, runs the Nexudus node on a worker', async () => {
		const c = cluster!;
		const res = await fetch(`${c.webhooks[0].url}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		const body = await res.text();
		expect({ status: res.status, body }).toEqual({
			status: 200,
			body: expect.stringContaining('"Email"'),
		});
		const coworkers = JSON.parse(body) as unknown;
		expect(Array.isArray(coworkers) ? coworkers.length : 1).toBeGreaterThanOrEqual(1);
		const [done] = pg!.query(
			`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' AND status = 'success'`,
		);
		expect(done).toEqual(['1']);
		// The worker ran it: the main and webhook processes only enqueue in queue mode.
		expect(c.workers.some((w) => /Worker started execution/.test(w.output()))).toBe(true);
	}, 120_000);
});
