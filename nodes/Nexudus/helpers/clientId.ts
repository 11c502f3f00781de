import { randomBytes } from 'crypto';

export const DEFAULT_CLIENT_ID = 'n8n-nodes-nexudus';

/**
 * This n8n process's own tag. Nexudus keeps one session per user and client ID, so processes on
 * one account (queue-mode workers) logging in with the same Client ID would void each other's
 * session. Added at login only: n8n 1.x saves the whole credential after a login, so a tag put
 * into the credential's data would be stored, and grow at every login.
 */
const PROCESS_TAG = randomBytes(4).toString('hex');

/** The client_id this process logs in with: the credential's Client ID and the process's tag. */
export function processClientId(clientId: string): string {
	return `${clientId || DEFAULT_CLIENT_ID}-${PROCESS_TAG}`;
}
