import { createHmac, timingSafeEqual } from 'crypto';

import type { WebhookActionName } from './events';

/**
 * Nexudus signs the body only, and the body does not say which event it is. So each webhook's
 * URL carries its event and a token derived from the shared secret, the event and the node's
 * webhook identity: a sender without the secret cannot relabel a delivery as another event.
 */
export const EVENT_QUERY = 'event';
export const TOKEN_QUERY = 'token';

/** Not JSON: Nexudus signs only JSON arrays, so it can never be made to sign a token's input. */
const PURPOSE = 'n8n-nodes-nexudus event token v1';

/** 128 bits, hex: short enough for a URL, too long to guess. */
export function eventToken(secret: string, event: WebhookActionName, nodeIdentity: string): string {
	return createHmac('sha256', Buffer.from(secret, 'utf8'))
		.update(`${PURPOSE}\n${event}\n${nodeIdentity}`)
		.digest('hex')
		.slice(0, 32);
}

/** Whether the token is the one for this event and node; compared in constant time. */
export function isValidEventToken(
	secret: string,
	event: WebhookActionName,
	nodeIdentity: string,
	token: unknown,
): boolean {
	if (typeof token !== 'string') return false;
	const expected = Buffer.from(eventToken(secret, event, nodeIdentity), 'utf8');
	const received = Buffer.from(token, 'utf8');
	return received.length === expected.length && timingSafeEqual(received, expected);
}

/** The URL Nexudus delivers one event to: the node's URL with the event, and its token when signed. */
export function eventUrl(base: string, event: WebhookActionName, token?: string): string {
	const query = `${EVENT_QUERY}=${event}${token === undefined ? '' : `&${TOKEN_QUERY}=${token}`}`;
	return `${base}${base.includes('?') ? '&' : '?'}${query}`;
}
