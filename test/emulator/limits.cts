export interface RateLimits {
	/** Minimum gap between two accepted requests, any kind. */
	minIntervalMs: number;
	/** Writes accepted per sliding window. */
	writesPerWindow: number;
	windowMs: number;
	/** Sent as Retry-After; may be fractional for time-scaled runs. */
	retryAfterSeconds: number;
}

/** The documented Nexudus limits that matter at the scale of one workflow. */
export const NEXUDUS_LIMITS: RateLimits = {
	minIntervalMs: 100,
	writesPerWindow: 60,
	windowMs: 60_000,
	retryAfterSeconds: 1,
};

/** Nexudus throttles with 409, not 429. */
export class RateLimiter {
	private lastAcceptedAt = -Infinity;
	private writeTimes: number[] = [];

	constructor(private limits: RateLimits | false) {}

	get current(): RateLimits | false {
		return this.limits;
	}

	set(limits: RateLimits | false): void {
		this.limits = limits;
		this.reset();
	}

	reset(): void {
		this.lastAcceptedAt = -Infinity;
		this.writeTimes = [];
	}

	/** Accepts and counts the request, or returns false when it must be throttled. */
	admit(isWrite: boolean, now: number): boolean {
		if (!this.limits) return true;
		if (now - this.lastAcceptedAt < this.limits.minIntervalMs) return false;
		if (isWrite) {
			const windowStart = now - this.limits.windowMs;
			this.writeTimes = this.writeTimes.filter((time) => time > windowStart);
			if (this.writeTimes.length >= this.limits.writesPerWindow) return false;
		}
		this.count(isWrite, now);
		return true;
	}

	/** Counts a request that bypassed the check (an injected fault that still writes). */
	count(isWrite: boolean, now: number): void {
		this.lastAcceptedAt = now;
		if (isWrite) this.writeTimes.push(now);
	}
}
