import { FAULT_KINDS, type FaultSpec } from './faults.cjs';
import type { RateLimits } from './limits.cjs';
import { json, message, type ApiResponse } from './responses.cjs';
import { applySeed, type SeedName } from './seed.cjs';
import type { Emulator } from './server.cjs';

const OK = json(200, { ok: true });

function parseFault(input: unknown): FaultSpec {
	const spec = (input ?? {}) as Record<string, unknown>;
	if (!FAULT_KINDS.includes(spec.kind as FaultSpec['kind'])) {
		throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
	}
	return {
		kind: spec.kind as FaultSpec['kind'],
		method: typeof spec.method === 'string' ? spec.method : undefined,
		// Over HTTP a path is the source of a regular expression.
		path: typeof spec.path === 'string' ? new RegExp(spec.path) : undefined,
		times: typeof spec.times === 'number' ? spec.times : undefined,
		delayMs: typeof spec.delayMs === 'number' ? spec.delayMs : undefined,
	};
}

function parseLimits(input: unknown): RateLimits | false {
	if (input === false || input === null) return false;
	const limits = (input ?? {}) as Record<string, unknown>;
	const names = ['minIntervalMs', 'writesPerWindow', 'windowMs', 'retryAfterSeconds'] as const;
	for (const name of names) {
		if (typeof limits[name] !== 'number') throw new Error(`${name} must be a number`);
	}
	return {
		minIntervalMs: limits.minIntervalMs as number,
		writesPerWindow: limits.writesPerWindow as number,
		windowMs: limits.windowMs as number,
		retryAfterSeconds: limits.retryAfterSeconds as number,
	};
}

/**
 * The /_emulator/ API lets other processes (n8n, a benchmark) drive the emulator.
 * It needs no auth and is neither recorded nor rate-limited.
 */
export function control(
	emulator: Emulator,
	method: string,
	path: string,
	query: URLSearchParams,
	body: unknown,
): ApiResponse {
	const route = `${method} ${path.replace(/\/+$/, '')}`;
	try {
		switch (route) {
			case 'GET /_emulator/requests': {
				const since = Number(query.get('since') ?? 0);
				return json(
					200,
					emulator.requests.filter((request) => request.seq > since),
				);
			}
			case 'POST /_emulator/reset': {
				emulator.clearRequests();
				emulator.faults.clear();
				const seed = (body as { seed?: SeedName } | undefined)?.seed;
				if (seed) applySeed(emulator.db, seed);
				return OK;
			}
			case 'GET /_emulator/faults':
				return json(200, emulator.faults.pending());
			case 'POST /_emulator/faults': {
				const specs = Array.isArray(body) ? body : [body];
				for (const spec of specs.map(parseFault)) emulator.faults.add(spec);
				return OK;
			}
			case 'POST /_emulator/expire-tokens':
				emulator.expireAllTokens();
				return OK;
			case 'POST /_emulator/limits':
				emulator.setLimits(parseLimits(body));
				return OK;
		}
		const collection = /^GET \/_emulator\/db\/(\w+)$/.exec(route)?.[1]?.toLowerCase();
		const db = emulator.db;
		if (collection === 'coworkerinventoryassets') {
			return json(
				200,
				db.coworkerInventoryAssets.map((record) => db.viewCoworkerInventoryAsset(record)),
			);
		}
		if (collection === 'coworkers') return json(200, db.coworkers);
		if (collection === 'businesses') return json(200, db.businesses);
		if (collection === 'inventoryassets') return json(200, db.inventoryAssets);
		return message(404, `No emulator control route '${route}'.`);
	} catch (error) {
		return message(400, (error as Error).message);
	}
}
