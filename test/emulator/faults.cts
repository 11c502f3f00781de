export const FAULT_KINDS = [
	'409',
	'500',
	'500-after-write',
	'502',
	'drop',
	'drop-after-write',
	'slow',
	'401',
	// A location-restricted user: Nexudus refuses this one record with 403.
	'403',
	// Answers 504 at once, as a gateway that gave up, and runs the request delayMs later.
	'504-late-commit',
	// Runs the write, then answers 200 WasSuccessful true with Value null (no Id).
	'200-no-id-after-write',
	// Answers 200 WasSuccessful true with Value null and keeps nothing: "done", yet no record.
	'200-no-id-nothing-kept',
	// A proxy or CDN in front of Nexudus throttles: 429 with retryAfterSeconds (seconds or an HTTP date).
	'429',
	// A maintenance page or captive portal: 200 text/html, the request never reaches the API.
	'html-200',
	// The request runs, then a proxy answers 200 text/html instead of Nexudus's JSON.
	'html-200-after-write',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
	/** Matches any method when left out. */
	method?: string;
	/** A RegExp is tested against the path; a string matches that path and the paths under it. */
	path?: string | RegExp;
	kind: FaultKind;
	/** How many matching requests it hits; default 1. */
	times?: number;
	/** For 'slow' (default 1000) and '504-late-commit' (default 3000). */
	delayMs?: number;
	/** For '409' and '429': the Retry-After sent (a string goes out as is, e.g. an HTTP date). */
	retryAfterSeconds?: number | string;
}

export interface PendingFault {
	method?: string;
	path?: string;
	kind: FaultKind;
	remaining: number;
	delayMs?: number;
	retryAfterSeconds?: number | string;
}

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
	if (pattern === undefined) return true;
	if (pattern instanceof RegExp) return pattern.test(path);
	return path === pattern || path.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`);
}

/** Faults injected for retry tests, consumed in the order they were added. */
export class FaultQueue {
	private readonly queue: QueuedFault[] = [];

	add(spec: FaultSpec): void {
		if (!FAULT_KINDS.includes(spec.kind)) {
			throw new Error(
				`Unknown fault kind '${String(spec.kind)}'; use one of ${FAULT_KINDS.join(', ')}`,
			);
		}
		const times = spec.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
		this.queue.push({ spec: { ...spec }, remaining: times });
	}

	/** Takes one use of the first fault that matches, if any. */
	take(method: string, path: string): FaultSpec | undefined {
		const index = this.queue.findIndex(
			({ spec }) =>
				(spec.method === undefined || spec.method.toUpperCase() === method.toUpperCase()) &&
				pathMatches(spec.path, path),
		);
		if (index === -1) return undefined;
		const queued = this.queue[index];
		queued.remaining -= 1;
		if (queued.remaining === 0) this.queue.splice(index, 1);
		return queued.spec;
	}

	clear(): void {
		this.queue.length = 0;
	}

	pending(): PendingFault[] {
		return this.queue.map(({ spec, remaining }) => ({
			method: spec.method,
			path: spec.path instanceof RegExp ? spec.path.source : spec.path,
			kind: spec.kind,
			remaining,
			delayMs: spec.delayMs,
			retryAfterSeconds: spec.retryAfterSeconds,
		}));
	}
}
