import { sleep } from 'n8n-workflow';

/**
 * Nexudus's documented limits per account: one request per 100 ms, 120 requests a minute and
 * 5,000 an hour; 60 writes a minute and 5,000 a day.
 */
export interface PacingSettings {
	minIntervalMs: number;
	writesPerMinute: number;
	/** How many throttled (409) answers in a row a request takes while the account makes no progress. */
	maxRetries: number;
	/** The period the per-minute limits count over (Nexudus: a minute); the hour and day scale with it. */
	windowMs: number;
	/** How long one request may take before it counts as lost. */
	timeoutMs?: number;
	requestsPerMinute?: number;
	requestsPerHour?: number;
	writesPerDay?: number;
}

export const NEXUDUS_PACING: PacingSettings = {
	minIntervalMs: 100,
	writesPerMinute: 60,
	maxRetries: 10,
	windowMs: 60_000,
	requestsPerMinute: 120,
	requestsPerHour: 5_000,
	writesPerDay: 5_000,
};

const WINDOW_MARGIN_MS = 50;
/** The longest a request waits for its turn, or for a Retry-After, in minute windows (15 min). */
export const MAX_WAIT_WINDOWS = 15;
/**
 * This process's share of the account after a 409: another client is on it. Two n8n workers
 * settle at half each; more than two still collide now and then, and their retries absorb it.
 */
const MIN_SHARE = 1 / 2;
const SHARE_STEP_UP = 1 / 32;

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled while waiting for Nexudus');
		this.name = 'ExecutionCancelledError';
	}
}

/** A limit that cannot be met within the wait the node allows: the item fails at once. */
export class PacingLimitError extends Error {
	readonly waitMs: number;

	constructor(message: string, waitMs: number) {
		super(message);
		this.name = 'PacingLimitError';
		this.waitMs = waitMs;
	}
}

export function maxWaitMs(settings: PacingSettings): number {
	return MAX_WAIT_WINDOWS * settings.windowMs;
}

export function describeWait(ms: number): string {
	if (ms < 120_000) return `${Math.ceil(ms / 1000)} s`;
	if (ms < 7_200_000) return `${Math.ceil(ms / 60_000)} min`;
	return `${(ms / 3_600_000).toFixed(1)} h`;
}

interface Limit {
	name: string;
	count: number;
	windowMs: number;
	writesOnly: boolean;
}

function limitsOf(settings: PacingSettings): Limit[] {
	const minute = settings.windowMs;
	const limits: Limit[] = [
		{ name: 'writes a minute', count: settings.writesPerMinute, windowMs: minute, writesOnly: true },
		{ name: 'writes a day', count: settings.writesPerDay ?? 0, windowMs: minute * 1440, writesOnly: true },
		{ name: 'requests a minute', count: settings.requestsPerMinute ?? 0, windowMs: minute, writesOnly: false },
		{ name: 'requests an hour', count: settings.requestsPerHour ?? 0, windowMs: minute * 60, writesOnly: false },
	];
	return limits.filter((limit) => limit.count > 0);
}

/** Index of the first time in sorted `times` that is after `after`. */
function firstAfter(times: number[], after: number): number {
	let low = 0;
	let high = times.length;
	while (low < high) {
		const mid = (low + high) >> 1;
		if (times[mid] > after) high = mid;
		else low = mid + 1;
	}
	return low;
}

/**
 * One Nexudus account's turn-taking, shared by every node and execution in this n8n process:
 * the limits are per account. While pacing is on, requests go one at a time, and each waits
 * for the previous answer: Nexudus counts a request when it arrives, which we only know to be
 * before its answer, so measuring from the answer keeps a stalled send from bunching up.
 *
 * Other clients on the same account (another n8n process, another tool) are invisible here:
 * a 409 that our own counts did not expect says they exist, and this process then takes a
 * smaller share of each limit, growing it back with every answer that was not throttled.
 */
export class AccountPacer {
	private queue: Promise<void> = Promise.resolve();

	private lastAnsweredAt = Number.NEGATIVE_INFINITY;

	private requestsAnswered: number[] = [];

	private writesAnswered: number[] = [];

	private heldUntil = 0;

	/** This process's share of the account's limits, MIN_SHARE to 1. */
	share = 1;

	/** When a request on this account last got an answer that was not throttling. */
	lastProgressAt = 0;

	/** How long a request must still wait at `now`; 0 means it may go. */
	waitBeforeSend(isWrite: boolean, settings: PacingSettings, now: number): number {
		return this.nextTurn(isWrite, settings, now).wait;
	}

	/** How long a request must still wait at `now`, and for which limit. */
	nextTurn(isWrite: boolean, settings: PacingSettings, now: number): { wait: number; limit?: string } {
		let wait = this.heldUntil - now;
		let limit: string | undefined = wait > 0 ? 'Retry-After' : undefined;
		const consider = (candidate: number, name: string) => {
			if (candidate > wait) {
				wait = candidate;
				limit = name;
			}
		};
		if (settings.minIntervalMs > 0) {
			consider(this.lastAnsweredAt + settings.minIntervalMs / this.share - now, 'one request per interval');
		}
		for (const rule of limitsOf(settings)) {
			if (rule.writesOnly && !isWrite) continue;
			const times = rule.writesOnly ? this.writesAnswered : this.requestsAnswered;
			const window = rule.windowMs + WINDOW_MARGIN_MS;
			const allowed = Math.max(1, Math.floor(rule.count * this.share));
			const inWindow = times.length - firstAfter(times, now - window);
			if (inWindow >= allowed) {
				consider(times[times.length - allowed] + window - now, `${rule.count} ${rule.name}`);
			}
		}
		return { wait: Math.max(0, wait), limit };
	}

	/** The answer (or the failure) of a request came back at `now`. */
	answered(isWrite: boolean, now: number, settings: PacingSettings = NEXUDUS_PACING): void {
		this.lastAnsweredAt = Math.max(this.lastAnsweredAt, now);
		const longest = Math.max(0, ...limitsOf(settings).map((rule) => rule.windowMs)) + WINDOW_MARGIN_MS;
		const keep = (times: number[]) => {
			times.push(now);
			if (times[0] < now - longest) times.splice(0, firstAfter(times, now - longest));
		};
		keep(this.requestsAnswered);
		if (isWrite) keep(this.writesAnswered);
	}

	/** Nexudus said wait: nobody on this account sends before then. */
	holdUntil(time: number): void {
		this.heldUntil = Math.max(this.heldUntil, time);
	}

	/** An answer that was not throttling: the account is making progress. */
	progressed(now: number): void {
		this.lastProgressAt = now;
		this.share = Math.min(1, this.share + SHARE_STEP_UP);
	}

	/** A 409: someone else is using the account too (or the limits are tighter than we know). */
	throttled(): void {
		this.share = Math.max(MIN_SHARE, this.share / 2);
	}

	/** Sends when the account's limits allow it; with pacing off, at once and concurrently. */
	async run<T>(
		isWrite: boolean,
		settings: PacingSettings,
		send: () => Promise<T>,
		signal?: AbortSignal,
	): Promise<T> {
		const paced = settings.minIntervalMs > 0 || (isWrite && settings.writesPerMinute > 0);
		if (!paced) {
			await this.waitTurn(isWrite, { ...settings, minIntervalMs: 0, writesPerMinute: 0, requestsPerMinute: 0, requestsPerHour: 0, writesPerDay: 0 }, signal);
			return await send();
		}
		const previous = this.queue;
		let release = () => {};
		this.queue = new Promise<void>((resolve) => (release = resolve));
		try {
			await previous;
			await this.waitTurn(isWrite, settings, signal);
			try {
				return await send();
			} finally {
				this.answered(isWrite, Date.now(), settings);
			}
		} finally {
			release();
		}
	}

	/** Waits for the account's limits, or fails at once when that wait is longer than allowed. */
	private async waitTurn(isWrite: boolean, settings: PacingSettings, signal?: AbortSignal): Promise<void> {
		for (;;) {
			const { wait, limit } = this.nextTurn(isWrite, settings, Date.now());
			if (wait <= 0) return;
			if (wait > maxWaitMs(settings)) {
				throw new PacingLimitError(
					`Nexudus's limit of ${limit ?? 'requests'} per account is used up for the next ${describeWait(wait)}`,
					wait,
				);
			}
			await waitFor(wait, signal);
		}
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
