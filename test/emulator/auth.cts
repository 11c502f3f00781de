import { randomBytes } from 'node:crypto';

export interface EmulatorUser {
	email: string;
	password: string;
	/** Base32; when set, a login needs a `totp` code. */
	totpSecret?: string;
	/** 'admin' is a full unrestricted administrator. */
	roles?: 'admin' | string[];
}

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export const DEFAULT_USERS: EmulatorUser[] = [
	{ email: 'admin@example.com', password: DEMO_PASSWORD, roles: 'admin' },
	{
		email: '2fa@example.com',
		password: DEMO_PASSWORD,
		totpSecret: DEMO_TOTP_SECRET,
		roles: 'admin',
	},
	{
		email: 'limited@example.com',
		password: DEMO_PASSWORD,
		roles: ['CoworkerInventoryAsset-List', 'Coworker-List', 'Business-List', 'InventoryAsset-List'],
	},
];

export function hasRole(user: EmulatorUser, role: string): boolean {
	const roles = user.roles ?? 'admin';
	return roles === 'admin' || roles.includes(role);
}

export interface TokenPair {
	access_token: string;
	token_type: 'bearer';
	expires_in: number;
	refresh_token: string;
}

interface IssuedToken {
	email: string;
	/** The client_id header, or the email when there was none (as Nexudus does). */
	clientKey: string;
	expiresAt: number;
}

const REFRESH_TTL_MS = 15 * 24 * 3600 * 1000;

function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export class TokenStore {
	private readonly access = new Map<string, IssuedToken>();
	private readonly refresh = new Map<string, IssuedToken>();

	constructor(private readonly ttlSeconds: number) {}

	/** A password login: voids the earlier tokens of the same user and client, unless told not to. */
	login(email: string, clientKey: string, oneSessionPerClient = true): TokenPair {
		if (!oneSessionPerClient) return this.issue(email, clientKey);
		for (const store of [this.access, this.refresh]) {
			for (const [token, issued] of store) {
				if (issued.email === email && issued.clientKey === clientKey) store.delete(token);
			}
		}
		return this.issue(email, clientKey);
	}

	/** Exchanges a refresh token for a new pair; the old refresh token is voided. */
	useRefreshToken(refreshToken: string, clientId: string | undefined): TokenPair | undefined {
		const issued = this.refresh.get(refreshToken);
		if (!issued || issued.expiresAt <= Date.now()) return undefined;
		if ((clientId ?? issued.email) !== issued.clientKey) return undefined;
		this.refresh.delete(refreshToken);
		return this.issue(issued.email, issued.clientKey);
	}

	/** The email of the token's user, or undefined when unknown, voided or expired. */
	authenticate(accessToken: string): string | undefined {
		const issued = this.access.get(accessToken);
		return issued && issued.expiresAt > Date.now() ? issued.email : undefined;
	}

	/** The email a refresh token belongs to, without using it (rate limits count per user). */
	refreshOwner(refreshToken: string): string | undefined {
		return this.refresh.get(refreshToken)?.email;
	}

	/** Expires every access token; refresh tokens stay usable, as after a real expiry. */
	expireAll(): void {
		for (const issued of this.access.values()) issued.expiresAt = 0;
	}

	private issue(email: string, clientKey: string): TokenPair {
		const now = Date.now();
		const pair: TokenPair = {
			access_token: newToken(),
			token_type: 'bearer',
			expires_in: this.ttlSeconds,
			refresh_token: newToken(),
		};
		this.access.set(pair.access_token, {
			email,
			clientKey,
			expiresAt: now + this.ttlSeconds * 1000,
		});
		this.refresh.set(pair.refresh_token, { email, clientKey, expiresAt: now + REFRESH_TTL_MS });
		return pair;
	}
}
