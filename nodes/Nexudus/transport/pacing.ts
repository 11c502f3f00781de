import { sleep } from 'n8n-workflow';

/** Nexudus's documented limits: one request per 100 ms, 60 writes a minute. */
export interface PacingSettings {
	minIntervalMs: number;
	writesPerMinute: number;
	/** How many times a throttled (409) or failed request is sent again. */
	maxRetries: number;
	/** The period writesPerMinute counts over (Nexudus: a minute). */
	windowMs: number;
	/** How long one request may take before it counts as lost. */
	timeoutMs?: number;
}

export const NEXUDUS_PACING: PacingSettings = {
	minIntervalMs: 100,
	writesPerMinute: 60,
	maxRetries: 10,
	windowMs: 60_000,
};

const WINDOW_MARGIN_MS = 50;

/**
 * One Nexudus account's turn-taking, shared by every node and execution in this n8n process:
 * the limits are per account. While pacing is on, requests go one at a time, and each waits
 * for the previous answer: Nexudus counts a request when it arrives, which we only know to be
 * before its answer, so measuring from the answer keeps a stalled send from bunching up.
 */
class AccountPacer {
	private queue: Promise<void> = Promise.resolve();

	private lastAnsweredAt = Number.NEGATIVE_INFINITY;

	private writesAnswered: number[] = [];

	private heldUntil = 0;

	/** How long a request must still wait at `now`; 0 means it may go. */
	waitBeforeSend(isWrite: boolean, settings: PacingSettings, now: number): number {
		let wait = this.heldUntil - now;
		if (settings.minIntervalMs > 0) {
			wait = Math.max(wait, this.lastAnsweredAt + settings.minIntervalMs - now);
		}
		if (isWrite && settings.writesPerMinute > 0) {
			const window = settings.windowMs + WINDOW_MARGIN_MS;
			this.writesAnswered = this.writesAnswered.filter((at) => at > now - window);
			if (this.writesAnswered.length >= settings.writesPerMinute) {
				const oldest = this.writesAnswered[this.writesAnswered.length - settings.writesPerMinute];
				wait = Math.max(wait, oldest + window - now);
			}
		}
		return Math.max(0, wait);
	}

	/** The answer (or the failure) of a request came back at `now`. */
	answered(isWrite: boolean, now: number): void {
		this.lastAnsweredAt = Math.max(this.lastAnsweredAt, now);
		if (isWrite) this.writesAnswered.push(now);
	}

	/** Nexudus said wait: nobody on this account sends before then. */
	holdUntil(time: number): void {
		this.heldUntil = Math.max(this.heldUntil, time);
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
			await waitFor(this.heldUntil - Date.now(), signal);
			return await send();
		}
		const previous = this.queue;
		let release = () => {};
		this.queue = new Promise<void>((resolve) => (release = resolve));
		try {
			await previous;
			for (let wait = this.waitBeforeSend(isWrite, settings, Date.now()); wait > 0; ) {
				await waitFor(wait, signal);
				wait = this.waitBeforeSend(isWrite, settings, Date.now());
			}
			try {
				return await send();
			} finally {
				this.answered(isWrite, Date.now());
			}
		} finally {
			release();
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
