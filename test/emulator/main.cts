/**
 * Runs the Nexudus emulator on its own, for n8n or a benchmark to talk to:
 *   npx tsx test/emulator/main.cts [--port 8787] [--seed demo|minimal|empty]
 *     [--limits nexudus|all|off] [--token-ttl N] [--latency MS] [--host 127.0.0.1] [--quiet]
 */
import { parseArgs } from 'node:util';

import {
	DEFAULT_USERS,
	NEXUDUS_ALL_LIMITS,
	NEXUDUS_LIMITS,
	startEmulator,
	totp,
	type RateLimits,
	type SeedName,
} from './server.cjs';

const SEEDS: SeedName[] = ['demo', 'minimal', 'empty'];

function fail(text: string): never {
	console.error(text);
	process.exit(2);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			seed: { type: 'string', default: 'demo' },
			limits: { type: 'string', default: 'off' },
			'token-ttl': { type: 'string' },
			latency: { type: 'string', default: '0' },
			quiet: { type: 'boolean', default: false },
		},
	});
	const seed = values.seed as SeedName;
	if (!SEEDS.includes(seed)) fail(`--seed must be one of ${SEEDS.join(', ')}`);
	// 'nexudus': 1 request per 100 ms and 60 writes a minute; 'all': every documented limit.
	const presets: Record<string, RateLimits | false> = {
		nexudus: NEXUDUS_LIMITS,
		all: NEXUDUS_ALL_LIMITS,
		off: false,
	};
	if (!Object.hasOwn(presets, values.limits)) fail('--limits must be nexudus, all or off');
	const limits = presets[values.limits];
	const port = Number(values.port);
	const ttl = values['token-ttl'] === undefined ? undefined : Number(values['token-ttl']);
	if (!Number.isInteger(port) || (ttl !== undefined && !Number.isFinite(ttl))) {
		fail('--port and --token-ttl must be numbers');
	}

	const emulator = await startEmulator({
		port,
		host: values.host,
		seed,
		limits,
		tokenTtlSeconds: ttl,
		latencyMs: Number(values.latency),
		onRequest: values.quiet
			? undefined
			: (request) =>
					console.log(`${request.method} ${request.path} ${request.status || 'dropped'}`),
	});

	console.log(
		`Nexudus emulator listening on ${emulator.url} (seed ${seed}, limits ${values.limits})`,
	);
	console.log('Logins (password grant on POST /api/token):');
	for (const user of DEFAULT_USERS) {
		const roles = user.roles === 'admin' || !user.roles ? 'admin' : user.roles.join(', ');
		const twoFactor = user.totpSecret
			? `, TOTP secret ${user.totpSecret} (code now: ${totp(user.totpSecret)})`
			: '';
		console.log(`  ${user.email} / ${user.password}  [${roles}]${twoFactor}`);
	}
	console.log(
		`Control API: ${emulator.url}/_emulator/requests, /reset, /faults, /limits, /switches, /retry-after, /stats, /db/..., /events, /deliveries, /webhook-settings`,
	);

	const stop = (signal: string) => {
		console.log(`${signal}: stopping`);
		emulator.close().then(
			() => process.exit(0),
			(error) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
