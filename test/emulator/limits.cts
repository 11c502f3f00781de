export interface RateLimits {
	/** Minimum gap between two accepted requests, any kind. */
	minIntervalMs: number;
	/** Writes accepted per sliding window. */
	writesPerWindow: number;
	windowMs: number;
	/** Sent as Retry-After; may be fractional for time-scaled runs. */
	retryAfterSeconds: number;
	// The other documented limits are optional, so callers that predate them keep working.
	/** Requests of any kind per sliding minute (Nexudus: 120). */
	requestsPerMinute?: number;
	/** Requests of any kind per sliding hour (Nexudus: 5,000). */
	requestsPerHour?: number;
	/** Requests of any kind per sliding day (Nexudus: 200,000). */
	requestsPerDay?: number;
	/** Writes per sliding day (Nexudus: 5,000). */
	writesPerDay?: number;
	/** Multiplies the minute, hour and day above (not minIntervalMs or windowMs); default 1. */
	timeScale?: number;
	/** Retry-After = when the blocking window frees up, instead of retryAfterSeconds. */
	computeRetryAfter?: boolean;
	/** 'account' (default): counts per user, as Nexudus does; 'global': one count for everybody. */
	scope?: 'account' | 'global';
}

/** The documented Nexudus limits that matter at the scale of one workflow. */
export const NEXUDUS_LIMITS: RateLimits = {
	minIntervalMs: 100,
	writesPerWindow: 60,
	windowMs: 60_000,
	retryAfterSeconds: 1,
};

/** Every documented Nexudus limit (help.nexudus.com/v3/docs/service-limits). */
export const NEXUDUS_ALL_LIMITS: RateLimits = {
	...NEXUDUS_LIMITS,
	requestsPerMinute: 120,
	requestsPerHour: 5_000,
	requestsPerDay: 200_000,
	writesPerDay: 5_000,
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Accepted request times inside one sliding window, oldest first. */
class SlidingWindow {
	private times: number[] = [];
	private head = 0;

	constructor(
		readonly limit: number,
		readonly windowMs: number,
	) {}

	/** Ms until one more request fits, or 0 when it fits now. */
	waitMs(now: number): number {
		const windowStart = now - this.windowMs;
		while (this.head < this.times.length && this.times[this.head] <= windowStart) this.head++;
		// Compacting now and then keeps a day window of 200,000 entries cheap.
		if (this.head > 1024 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
		const count = this.times.length - this.head;
		if (count < this.limit) return 0;
		if (this.limit <= 0) return this.windowMs;
		// The oldest entries must leave until the count drops below the limit.
		return this.times[this.head + count - this.limit] + this.windowMs - now;
	}

	push(now: number): void {
		this.times.push(now);
	}
}

interface AccountCounts {
	lastAcceptedAt: number;
	requests: SlidingWindow[];
	writes: SlidingWindow[];
}

export interface Admission {
	admitted: boolean;
	/** When throttled: ms until the blocking limit frees up. */
	waitMs: number;
}

/** Nexudus throttles with 409, not 429. */
export class RateLimiter {
	private accounts = new Map<string, AccountCounts>();

	constructor(private limits: RateLimits | false) {}

	get current(): RateLimits | false {
		return this.limits;
	}

	set(limits: RateLimits | false): void {
		this.limits = limits;
		this.reset();
	}

	reset(): void {
		this.accounts.clear();
	}

	/** Accepts and counts the request, or says how long it must wait. */
	check(isWrite: boolean, now: number, account = ''): Admission {
		if (!this.limits) return { admitted: true, waitMs: 0 };
		const counts = this.countsFor(account);
		const waits = [counts.lastAcceptedAt + this.limits.minIntervalMs - now];
		for (const window of counts.requests) waits.push(window.waitMs(now));
		if (isWrite) for (const window of counts.writes) waits.push(window.waitMs(now));
		const waitMs = Math.max(0, ...waits);
		if (waitMs > 0) return { admitted: false, waitMs };
		this.count(isWrite, now, account);
		return { admitted: true, waitMs: 0 };
	}

	/** The boolean form of check(), kept for existing callers. */
	admit(isWrite: boolean, now: number, account = ''): boolean {
		return this.check(isWrite, now, account).admitted;
	}

	/** Counts a request that bypassed the check (an injected fault that still writes). */
	count(isWrite: boolean, now: number, account = ''): void {
		if (!this.limits) return;
		const counts = this.countsFor(account);
		counts.lastAcceptedAt = now;
		for (const window of counts.requests) window.push(now);
		if (isWrite) for (const window of counts.writes) window.push(now);
	}

	private countsFor(account: string): AccountCounts {
		const limits = this.limits as RateLimits;
		const key = limits.scope === 'global' ? '' : account;
		let counts = this.accounts.get(key);
		if (!counts) {
			const scale = limits.timeScale ?? 1;
			const windows = (pairs: Array<[number | undefined, number]>) =>
				pairs
					.filter((pair): pair is [number, number] => pair[0] !== undefined)
					.map(([limit, windowMs]) => new SlidingWindow(limit, windowMs));
			counts = {
				lastAcceptedAt: -Infinity,
				requests: windows([
					[limits.requestsPerMinute, MINUTE_MS * scale],
					[limits.requestsPerHour, HOUR_MS * scale],
					[limits.requestsPerDay, DAY_MS * scale],
				]),
				writes: windows([
					[limits.writesPerWindow, limits.windowMs],
					[limits.writesPerDay, DAY_MS * scale],
				]),
			};
			this.accounts.set(key, counts);
		}
		return counts;
	}
}
