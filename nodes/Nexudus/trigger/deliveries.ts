import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** At most this many deliveries are remembered per trigger node (the oldest are forgotten first). */
export const MAX_REMEMBERED_DELIVERIES = 1000;

/**
 * A delivery's identity, per channel: what its signature covers (the body's bytes, or Nexudus's
 * ASCII form of them), and the event only when nothing is signed. Nexudus signs no event, so a
 * signed body is one delivery whichever URL it comes to. Nexudus sends every event to the test
 * URL and the production URL alike; a test copy is no repeat.
 */
export function deliveryKey(
	event: string | undefined,
	signedBody: Buffer,
	channel = 'production',
): string {
	const hash = createHash('sha256');
	if (channel !== 'production') hash.update(channel).update('\n');
	if (event !== undefined) hash.update(event).update('\n');
	return hash.update(signedBody).digest('hex');
}

/**
 * Deliveries seen in this n8n process, by workflow and node: two copies that arrive at the same
 * time are both handled before n8n saves either one's static data.
 */
const seenInProcess = new Map<string, number>();

function forgetOlderThan(seen: Map<string, number> | IDataObject, oldest: number): void {
	if (seen instanceof Map) {
		for (const [key, at] of seen) if (at < oldest) seen.delete(key);
		return;
	}
	for (const key of Object.keys(seen)) if (Number(seen[key]) < oldest) delete seen[key];
}

function keepNewest(seen: IDataObject, max: number): void {
	const keys = Object.keys(seen);
	if (keys.length <= max) return;
	keys.sort((a, b) => Number(seen[a]) - Number(seen[b]));
	for (const key of keys.slice(0, keys.length - max)) delete seen[key];
}

/**
 * Whether this delivery was already seen within the window; if not, remembers it. `stored` is
 * the node's workflow static data (n8n saves it after the webhook answers, when it changed);
 * `scope` names the workflow and node for the in-process memory.
 */
export function isRepeatedDelivery(
	stored: IDataObject,
	scope: string,
	key: string,
	windowMs: number,
	now: number = Date.now(),
): boolean {
	const oldest = now - windowMs;
	// Written only when it changes: n8n saves static data (all of it) whenever it was written to.
	const existing = stored.deliveries;
	const seen = (
		typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {}
	) as IDataObject;
	forgetOlderThan(seen, oldest);
	forgetOlderThan(seenInProcess, oldest);
	const scoped = `${scope}|${key}`;
	const repeated =
		Number(seen[key]) >= oldest || (seenInProcess.get(scoped) ?? -Infinity) >= oldest;
	if (!repeated) {
		seen[key] = now;
		seenInProcess.set(scoped, now);
		keepNewest(seen, MAX_REMEMBERED_DELIVERIES);
		if (seenInProcess.size > MAX_REMEMBERED_DELIVERIES * 10) seenInProcess.clear();
		if (existing !== seen) stored.deliveries = seen;
	}
	return repeated;
}

/** Forgets the deliveries seen in this process, as a restart of n8n would (for tests). */
export function forgetDeliveries(): void {
	seenInProcess.clear();
}
