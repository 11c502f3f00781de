import { FAULT_KINDS, type FaultSpec } from './faults.cjs';
import type { RateLimits } from './limits.cjs';
import { json, message, type ApiResponse } from './responses.cjs';
import { applySeed, type SeedName } from './seed.cjs';
import type { Emulator } from './server.cjs';
import { describeSwitches, parseSwitches } from './switches.cjs';

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
		retryAfterSeconds: retryAfterValue(spec.retryAfterSeconds),
	};
}

function retryAfterValue(value: unknown): number | string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'number' && typeof value !== 'string') {
		throw new Error('retryAfterSeconds must be a number or a string');
	}
	return value;
}

function parseLimits(input: unknown): RateLimits | false {
	if (input === false || input === null) return false;
	const limits = (input ?? {}) as Record<string, unknown>;
	const names = ['minIntervalMs', 'writesPerWindow', 'windowMs', 'retryAfterSeconds'] as const;
	for (const name of names) {
		if (typeof limits[name] !== 'number') throw new Error(`${name} must be a number`);
	}
	const result: RateLimits = {
		minIntervalMs: limits.minIntervalMs as number,
		writesPerWindow: limits.writesPerWindow as number,
		windowMs: limits.windowMs as number,
		retryAfterSeconds: limits.retryAfterSeconds as number,
	};
	const optional = [
		'requestsPerMinute',
		'requestsPerHour',
		'requestsPerDay',
		'writesPerDay',
		'timeScale',
	] as const;
	for (const name of optional) {
		if (limits[name] === undefined) continue;
		if (typeof limits[name] !== 'number') throw new Error(`${name} must be a number`);
		result[name] = limits[name];
	}
	if (limits.computeRetryAfter !== undefined) {
		if (typeof limits.computeRetryAfter !== 'boolean') {
			throw new Error('computeRetryAfter must be true or false');
		}
		result.computeRetryAfter = limits.computeRetryAfter;
	}
	if (limits.scope !== undefined) {
		if (limits.scope !== 'account' && limits.scope !== 'global') {
			throw new Error("scope must be 'account' or 'global'");
		}
		result.scope = limits.scope;
	}
	return result;
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
			case 'GET /_emulator/stats':
				return json(200, emulator.stats());
			case 'POST /_emulator/reset': {
				emulator.clearRequests();
				emulator.faults.clear();
				emulator.cancelLateCommits();
				emulator.forceRetryAfter(false);
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
			case 'GET /_emulator/switches':
				return json(200, describeSwitches(emulator.switches));
			case 'POST /_emulator/switches':
				emulator.setSwitches(parseSwitches(body));
				return json(200, describeSwitches(emulator.switches));
			case 'POST /_emulator/retry-after': {
				const { seconds, times } = (body ?? {}) as { seconds?: unknown; times?: unknown };
				if (seconds === false) {
					emulator.forceRetryAfter(false);
					return OK;
				}
				const value = retryAfterValue(seconds);
				if (value === undefined) throw new Error('seconds must be a number, a string or false');
				if (times !== undefined && typeof times !== 'number')
					throw new Error('times must be a number');
				emulator.forceRetryAfter(value, times);
				return OK;
			}
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
