import { sleep } from 'n8n-workflow';

/** Nexudus's documented limits: one request per 100 ms, 60 writes a minute. */
export interface PacingSettings {
	minIntervalMs: number;
	writesPerMinute: number;
	/** How many times a throttled (409) or failed request is sent again. */
	maxRetries: number;
	/** Length of the write window; a setting only so time-scaled test runs can shrink it. */
	windowMs: number;
}

export const NEXUDUS_PACING: PacingSettings = {
	minIntervalMs: 100,
	writesPerMinute: 60,
	maxRetries: 10,
	windowMs: 60_000,
};

// Requests reach Nexudus a few ms after we send them; these margins keep network jitter from
// tipping a request that our clock paced correctly over Nexudus's limits.
const INTERVAL_MARGIN_MS = 5;
const WINDOW_MARGIN_MS = 50;

/**
 * Slots for one Nexudus account, shared by every node and execution in this n8n process:
 * the limits are per account, not per node.
 */
class AccountPacer {
	private nextRequestAt = 0;

	private writeSlots: number[] = [];

	/** Reserves the next slot synchronously, so concurrent callers queue; returns its time. */
	reserve(isWrite: boolean, settings: PacingSettings, now: number): number {
		let at = Math.max(now, this.nextRequestAt);
		if (isWrite && settings.writesPerMinute > 0) {
			const window = settings.windowMs;
			this.writeSlots = this.writeSlots.filter((slot) => slot > now - window - WINDOW_MARGIN_MS);
			if (this.writeSlots.length >= settings.writesPerMinute) {
				const oldest = this.writeSlots[this.writeSlots.length - settings.writesPerMinute];
				at = Math.max(at, oldest + window + WINDOW_MARGIN_MS);
			}
			this.writeSlots.push(at);
		}
		const interval = settings.minIntervalMs > 0 ? settings.minIntervalMs + INTERVAL_MARGIN_MS : 0;
		this.nextRequestAt = at + interval;
		return at;
	}

	/** Nexudus said wait: nobody on this account sends before then. */
	holdUntil(time: number) {
		this.nextRequestAt = Math.max(this.nextRequestAt, time);
	}
}

const pacers = new Map<string, AccountPacer>();

export function pacerFor(accountKey: string): AccountPacer {
	let pacer = pacers.get(accountKey);
	if (!pacer) {
		pacer = new AccountPacer();
		pacers.set(accountKey, pacer);
	}
	return pacer;
}

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting for Nexudus');
		this.name = 'ExecutionCancelledError';
	}
}

/** Sleeps in short steps so that a cancelled execution stops waiting at once. */
export async function waitFor(ms: number, signal?: AbortSignal): Promise<void> {
	const end = Date.now() + ms;
	for (;;) {
		if (signal?.aborted) throw new ExecutionCancelledError();
		const left = end - Date.now();
		if (left <= 0) return;
		await sleep(Math.min(left, 200));
	}
}
