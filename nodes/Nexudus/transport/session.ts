/**
 * One Nexudus login per account, shared by every execution in this n8n process.
 *
 * Nexudus keeps one session per user and client ID; the emulator, as our tests assume, voids the
 * older token at each login with the same client ID. Each process logs in with a client ID of its
 * own (helpers/clientId.ts), so processes do not void each other; within a process, executions
 * would. So the newest token any execution got is kept here and every request adopts it before it
 * is sent; a request that finds no token, or whose token was refused, logs in only when no login
 * is already under way and nobody has a newer token, in this process or (read back from n8n's
 * credential store, where n8n saves each new token) in another one.
 */
export interface Session {
	/** The newest access token known in this process. */
	token?: string;
	/** The login under way; requests that need a token wait for it instead of logging in. */
	login?: Promise<unknown>;
	/** Tokens Nexudus refused: never taken again from n8n's credential store. */
	refused?: Set<string>;
}

const sessions = new Map<string, Session>();

export function sessionFor(key: string): Session {
	let session = sessions.get(key);
	if (!session) {
		session = {};
		sessions.set(key, session);
	}
	return session;
}

/** Runs `login` unless one is under way, in which case it waits for that one instead. */
export async function singleLogin<T>(
	session: Session,
	login: () => Promise<T>,
): Promise<{ ran: boolean; result?: T }> {
	if (session.login) {
		await session.login.then(
			() => undefined,
			() => undefined,
		);
		return { ran: false };
	}
	const running = login();
	session.login = running;
	try {
		return { ran: true, result: await running };
	} finally {
		if (session.login === running) session.login = undefined;
	}
}

/** Forgets every login, as a restart of n8n would (for tests). */
export function forgetSessions(): void {
	sessions.clear();
}
