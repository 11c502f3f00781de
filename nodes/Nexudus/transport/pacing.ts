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
	/** The period Writes per Minute counts over (Nexudus: a minute); no other limit depends on it. */
	windowMs: number;
	/** The longest one request may take, waits included (Max Time per Request); default 5 min. */
	maxRequestMs?: number;
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
const MINUTE_MS = 60_000;
/** The longest a request waits for its turn, or for a Retry-After (15 min). */
export const MAX_WAIT_MS = 15 * MINUTE_MS;
/** Max Time per Request by default: every wait of a request ends within it. */
export const DEFAULT_MAX_REQUEST_MS = 5 * MINUTE_MS;
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

/** A turn that would come after the request's Max Time per Request: the item fails at once. */
export class RequestDeadlineError extends Error {
	constructor(limit: string) {
		super(limit);
		this.name = 'RequestDeadlineError';
	}
}

export function maxWaitMs(settings: PacingSettings): number {
	return Math.min(MAX_WAIT_MS, maxRequestMs(settings));
}

export function maxRequestMs(settings: PacingSettings): number {
	return settings.maxRequestMs ?? DEFAULT_MAX_REQUEST_MS;
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
	// Only Writes per Minute counts over the Write Window; the others over Nexudus's own periods.
	const limits: Limit[] = [
		{
			name: 'writes a minute',
			count: settings.writesPerMinute,
			windowMs: settings.windowMs,
			writesOnly: true,
		},
		{
			name: 'writes a day',
			count: settings.writesPerDay ?? 0,
			windowMs: MINUTE_MS * 1440,
			writesOnly: true,
		},
		{
			name: 'requests a minute',
			count: settings.requestsPerMinute ?? 0,
			windowMs: MINUTE_MS,
			writesOnly: false,
		},
		{
			name: 'requests an hour',
			count: settings.requestsPerHour ?? 0,
			windowMs: MINUTE_MS * 60,
			writesOnly: false,
		},
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
	nextTurn(
		isWrite: boolean,
		settings: PacingSettings,
		now: number,
	): { wait: number; limit?: string } {
		let wait = this.heldUntil - now;
		let limit: string | undefined = wait > 0 ? 'Retry-After' : undefined;
		const consider = (candidate: number, name: string) => {
			if (candidate > wait) {
				wait = candidate;
				limit = name;
			}
		};
		if (settings.minIntervalMs > 0) {
			consider(
				this.lastAnsweredAt + settings.minIntervalMs / this.share - now,
				'one request per interval',
			);
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
		const longest =
			Math.max(0, ...limitsOf(settings).map((rule) => rule.windowMs)) + WINDOW_MARGIN_MS;
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

	/**
	 * Sends when the account's limits allow it. With pacing off (Request Interval 0, and for a
	 * write Writes per Minute 0 too) requests go at once and concurrently, but still within the
	 * account's requests a minute and an hour: each takes its place in them before it is sent.
	 */
	async run<T>(
		isWrite: boolean,
		settings: PacingSettings,
		send: () => Promise<T>,
		signal?: AbortSignal,
		deadline = Number.POSITIVE_INFINITY,
	): Promise<T> {
		const paced = settings.minIntervalMs > 0 || (isWrite && settings.writesPerMinute > 0);
		const previous = this.queue;
		let release = () => {};
		this.queue = new Promise<void>((resolve) => (release = resolve));
		try {
			await previous;
			await this.waitTurn(
				isWrite,
				paced ? settings : { ...settings, writesPerMinute: 0 },
				signal,
				deadline,
			);
			if (!paced) {
				this.answered(isWrite, Date.now(), settings);
				release();
				return await send();
			}
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
	private async waitTurn(
		isWrite: boolean,
		settings: PacingSettings,
		signal: AbortSignal | undefined,
		deadline: number,
	): Promise<void> {
		for (;;) {
			const { wait, limit } = this.nextTurn(isWrite, settings, Date.now());
			if (wait <= 0) return;
			if (wait > maxWaitMs(settings)) {
				throw new PacingLimitError(
					`Nexudus's limit of ${limit ?? 'requests'} per account is used up for the next ${describeWait(wait)}`,
					wait,
				);
			}
			if (Date.now() + wait > deadline) throw new RequestDeadlineError(limit ?? 'the limits');
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
