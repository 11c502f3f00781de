/**
 * The queue-mode recipe (examples/docker/compose.yaml): PostgreSQL, Redis, a main process, two
 * workers and a webhook process, every n8n process with the same image, the same environment and
 * so the same package install, which is the one the queue-mode e2e applies to each of its
 * processes (test/e2e/queue.cts reads it from the file through test/support/compose.cts).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { PINNED_VERSIONS } from '../e2e/n8n.cjs';
import {
	communityPackages,
	n8nImageTag,
	n8nServices,
	packageInstallEnv,
	readCompose,
	type Compose,
} from '../support/compose.cjs';

const REPO = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};

describe('the docker compose recipe for queue mode', () => {
	const compose = readCompose();
	const n8n = n8nServices(compose);

	it('runs PostgreSQL, Redis, one main process, two workers and a webhook process', () => {
		expect(n8n.map(({ command }) => command).sort()).toEqual([
			'start',
			'webhook',
			'worker',
			'worker',
		]);
		const others = Object.entries(compose.services).filter(
			([name]) => !n8n.some((s) => s.name === name),
		);
		expect(others.map(([, s]) => s.image?.split(':')[0]).sort()).toEqual(['postgres', 'redis']);
	});

	it('pins n8n to the tested version (n8n-versions.json), the same image for every process', () => {
		for (const { name, service } of n8n) {
			expect({ name, tag: n8nImageTag(service) }).toEqual({ name, tag: PINNED_VERSIONS.n8n });
		}
	});

	it('gives every n8n process the same environment, in queue mode on the shared database and Redis', () => {
		const [first, ...rest] = n8n;
		for (const { name, service } of rest) {
			expect({ name, environment: service.environment }).toEqual({
				name,
				environment: first.service.environment,
			});
		}
		expect(first.service.environment).toMatchObject({
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: 'postgres',
			QUEUE_BULL_REDIS_HOST: 'redis',
		});
		expect(String(first.service.environment?.N8N_ENCRYPTION_KEY)).toMatch(
			/^\$\{N8N_ENCRYPTION_KEY/,
		);
	});

	it('installs this package, at this version, on every n8n process, the same way', () => {
		const env = packageInstallEnv(compose);
		expect(env).toEqual({
			N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
			N8N_COMMUNITY_PACKAGES: expect.any(String),
			N8N_REINSTALL_MISSING_PACKAGES: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		});
		expect(communityPackages(env)).toEqual([{ name: pkg.name, version: pkg.version }]);
	});

	it('starts workers and the webhook process once the main process has installed the package', () => {
		const main = n8n.find(({ command }) => command === 'start')!;
		const test = [main.service.healthcheck?.test ?? []].flat().join(' ');
		expect(test).toContain(`/home/node/.n8n/nodes/node_modules/${pkg.name}/package.json`);
		expect(main.service.volumes).toContain('n8n-main:/home/node/.n8n');
		for (const { name, command, service } of n8n) {
			expect({
				name,
				postgres: service.depends_on?.postgres,
				redis: service.depends_on?.redis,
			}).toEqual({
				name,
				postgres: { condition: 'service_healthy' },
				redis: { condition: 'service_healthy' },
			});
			if (command !== 'start') {
				expect({ name, main: service.depends_on?.[main.name] }).toEqual({
					name,
					main: { condition: 'service_healthy' },
				});
			}
		}
	});

	it('refuses a recipe whose processes install packages differently', () => {
		const drifted = JSON.parse(JSON.stringify(compose)) as Compose;
		const worker = n8nServices(drifted).find(({ command }) => command === 'worker')!;
		delete worker.service.environment!.N8N_REINSTALL_MISSING_PACKAGES;
		expect(() => packageInstallEnv(drifted)).toThrow(/installs packages differently/);
	});
});
