import {
	createAssignment,
	deleteAssignment,
	getAssignment,
	listAssignments,
	updateAssignment,
} from './assignments.cjs';
import { hasRole, type EmulatorUser, type TokenStore } from './auth.cjs';
import { coworkerListView, coworkerView, createCoworker, updateCoworker } from './coworkers.cjs';
import {
	createInventoryAsset,
	deleteInventoryAsset,
	updateInventoryAsset,
} from './inventoryAssets.cjs';
import { listResponse, QueryError, type FilterSpec, type Query } from './lists.cjs';
import {
	forbidden,
	json,
	message,
	notFound,
	UNAUTHORIZED,
	type ApiResponse,
} from './responses.cjs';
import type { Business, EmulatorDb, InventoryAsset, Team } from './store.cjs';
import { verifyTotp } from './totp.cjs';
import { WEBHOOK_ROUTES } from './webhooks.cjs';

export interface RequestContext {
	db: EmulatorDb;
	tokens: TokenStore;
	users: EmulatorUser[];
	method: string;
	path: string;
	query: Query;
	headers: Record<string, string | string[] | undefined>;
	contentType: string;
	body: unknown;
	/** Default: a login voids the user's earlier tokens for the same client_id. */
	oneSessionPerClient?: boolean;
	/** Lists answer page 1 with HasNextPage true, whatever `page` says. */
	ignorePage?: boolean;
	/** A missing role is answered 401, as Nexudus documents for "no permission". */
	missingRoleAs401?: boolean;
	/** The user as authenticated on arrival: a late commit runs after its token may be void. */
	authenticatedAs?: string;
}

interface Route {
	method: string;
	pattern: RegExp;
	/** Role needed besides full administrator; undefined for the token endpoint. */
	role?: string;
	/** POST and PUT bodies must be JSON. */
	json?: boolean;
	handle(context: RequestContext, userEmail: string, id: number): ApiResponse;
}

function header(context: RequestContext, name: string): string | undefined {
	const value = context.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

// --- token -----------------------------------------------------------------------------------

const INVALID_GRANT = json(400, {
	error: 'invalid_grant',
	error_description: 'The user name or password is incorrect.',
});

/** OAuth2 password and refresh_token grants; only form bodies are read, as in OWIN. */
export function token(context: RequestContext): ApiResponse {
	if (!context.contentType.includes('application/x-www-form-urlencoded')) {
		return json(400, { error: 'unsupported_grant_type' });
	}
	const form = context.body as Record<string, string>;
	const clientId = header(context, 'client_id');
	if (form.grant_type === 'password') {
		const username = (form.username ?? '').trim().toLowerCase();
		const user = context.users.find((candidate) => candidate.email.toLowerCase() === username);
		if (!user || user.password !== form.password) return INVALID_GRANT;
		if (user.totpSecret && !verifyTotp(user.totpSecret, (form.totp ?? '').trim())) {
			return json(400, {
				error: 'invalid_grant',
				error_description: 'The two-factor authentication code is missing or invalid.',
			});
		}
		return json(
			200,
			context.tokens.login(user.email, clientId ?? user.email, context.oneSessionPerClient ?? true),
		);
	}
	if (form.grant_type === 'refresh_token') {
		const pair = context.tokens.useRefreshToken(form.refresh_token ?? '', clientId);
		return pair
			? json(200, pair)
			: json(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid.' });
	}
	return json(400, { error: 'unsupported_grant_type' });
}

// --- entities --------------------------------------------------------------------------------

function lookup<T>(entity: string, find: (db: EmulatorDb, id: number) => T | undefined) {
	return (context: RequestContext, _email: string, id: number) => {
		const record = find(context.db, id);
		return record ? json(200, record) : notFound(entity);
	};
}

function list<T extends object>(records: (db: EmulatorDb) => T[], filters: Array<FilterSpec<T>>) {
	return (context: RequestContext) => {
		try {
			return json(
				200,
				listResponse(records(context.db), filters, context.query, (r) => r, {
					ignorePage: context.ignorePage,
				}),
			);
		} catch (error) {
			if (error instanceof QueryError) return message(400, error.message);
			throw error;
		}
	};
}

type CoworkerView = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : null);
const COWORKER_FILTERS: Array<FilterSpec<CoworkerView>> = [
	{ param: 'Coworker_FullName', type: 'text', value: (r) => text(r.FullName) },
	{ param: 'Coworker_Email', type: 'text', value: (r) => text(r.Email) },
	{
		param: 'Coworker_InvoicingBusiness',
		type: 'id',
		value: (r) => r.InvoicingBusinessId as number,
	},
	{ param: 'Coworker_Active', type: 'bool', value: (r) => r.Active as boolean },
	{ param: 'Coworker_AccessCardId', type: 'text', value: (r) => text(r.AccessCardId) },
];
const TEAM_FILTERS: Array<FilterSpec<Team>> = [
	{ param: 'Team_Name', type: 'text', value: (r) => r.Name },
];
const BUSINESS_FILTERS: Array<FilterSpec<Business>> = [
	{ param: 'Business_Name', type: 'text', value: (r) => r.Name },
];
const ASSET_FILTERS: Array<FilterSpec<InventoryAsset>> = [
	{ param: 'InventoryAsset_Business', type: 'id', value: (r) => r.BusinessId },
	{ param: 'InventoryAsset_Name', type: 'text', value: (r) => r.Name },
	{ param: 'InventoryAsset_Sku', type: 'text', value: (r) => r.Sku },
];

const ASSIGNMENTS = /^\/api\/spaces\/coworkerinventoryassets$/i;
const ASSIGNMENT = /^\/api\/spaces\/coworkerinventoryassets\/(\d+)$/i;

const ROUTES: Route[] = [
	{
		method: 'GET',
		pattern: /^\/api\/spaces\/coworkers$/i,
		role: 'Coworker-List',
		handle: list((db) => db.coworkers.map(coworkerListView), COWORKER_FILTERS),
	},
	{
		method: 'GET',
		pattern: /^\/api\/spaces\/coworkers\/(\d+)$/i,
		role: 'Coworker-Read',
		handle: lookup('Coworker', (db, id) => {
			const record = db.coworker(id);
			return record && coworkerView(db, record);
		}),
	},
	{
		method: 'POST',
		pattern: /^\/api\/spaces\/coworkers$/i,
		role: 'Coworker-Create',
		json: true,
		handle: (context, email) => createCoworker(context.db, context.body, email),
	},
	{
		method: 'PUT',
		pattern: /^\/api\/spaces\/coworkers$/i,
		role: 'Coworker-Edit',
		json: true,
		handle: (context, email) => updateCoworker(context.db, context.body, email),
	},
	{
		method: 'GET',
		pattern: /^\/api\/spaces\/teams$/i,
		role: 'Team-List',
		handle: list((db) => db.teams, TEAM_FILTERS),
	},
	{
		method: 'GET',
		pattern: /^\/api\/sys\/businesses$/i,
		role: 'Business-List',
		handle: list((db) => db.businesses, BUSINESS_FILTERS),
	},
	{
		method: 'GET',
		pattern: /^\/api\/sys\/businesses\/(\d+)$/i,
		role: 'Business-Read',
		handle: lookup('Business', (db, id) => db.business(id)),
	},
	{
		method: 'GET',
		pattern: /^\/api\/spaces\/inventoryassets$/i,
		role: 'InventoryAsset-List',
		handle: list((db) => db.inventoryAssets, ASSET_FILTERS),
	},
	{
		method: 'GET',
		pattern: /^\/api\/spaces\/inventoryassets\/(\d+)$/i,
		role: 'InventoryAsset-Read',
		handle: lookup('InventoryAsset', (db, id) => db.inventoryAsset(id)),
	},
	{
		method: 'POST',
		pattern: /^\/api\/spaces\/inventoryassets$/i,
		role: 'InventoryAsset-Create',
		json: true,
		handle: (context, email) => createInventoryAsset(context.db, context.body, email),
	},
	{
		method: 'PUT',
		pattern: /^\/api\/spaces\/inventoryassets$/i,
		role: 'InventoryAsset-Edit',
		json: true,
		handle: (context, email) => updateInventoryAsset(context.db, context.body, email),
	},
	{
		method: 'DELETE',
		pattern: /^\/api\/spaces\/inventoryassets\/(\d+)$/i,
		role: 'InventoryAsset-Delete',
		handle: (context, _email, id) => deleteInventoryAsset(context.db, id),
	},
	{
		method: 'GET',
		pattern: ASSIGNMENTS,
		role: 'CoworkerInventoryAsset-List',
		handle: (context) =>
			listAssignments(context.db, context.query, { ignorePage: context.ignorePage }),
	},
	{
		method: 'POST',
		pattern: ASSIGNMENTS,
		role: 'CoworkerInventoryAsset-Create',
		json: true,
		handle: (context, email) => createAssignment(context.db, context.body, email),
	},
	{
		method: 'PUT',
		pattern: ASSIGNMENTS,
		role: 'CoworkerInventoryAsset-Edit',
		json: true,
		handle: (context, email) => updateAssignment(context.db, context.body, email),
	},
	{
		method: 'GET',
		pattern: ASSIGNMENT,
		role: 'CoworkerInventoryAsset-Read',
		handle: (context, _email, id) => getAssignment(context.db, id),
	},
	{
		method: 'DELETE',
		pattern: ASSIGNMENT,
		role: 'CoworkerInventoryAsset-Delete',
		handle: (context, _email, id) => deleteAssignment(context.db, id),
	},
	...WEBHOOK_ROUTES,
];

function bearerUser(context: RequestContext): EmulatorUser | undefined {
	const match = /^Bearer\s+(\S+)$/i.exec(header(context, 'authorization') ?? '');
	const email =
		context.authenticatedAs ?? (match ? context.tokens.authenticate(match[1]) : undefined);
	return email ? context.users.find((user) => user.email === email) : undefined;
}

/** Routes one /api request: token, then auth, role, media type and the handler. */
export function dispatch(context: RequestContext): ApiResponse {
	if (/^\/api\/token$/i.test(context.path)) {
		return context.method === 'POST'
			? token(context)
			: message(405, `The requested resource does not support http method '${context.method}'.`);
	}
	const matching = ROUTES.filter((route) => route.pattern.test(context.path));
	if (matching.length === 0) {
		return message(
			404,
			`No HTTP resource was found that matches the request URI '${context.path}'.`,
		);
	}
	const route = matching.find((candidate) => candidate.method === context.method);
	if (!route) {
		return message(405, `The requested resource does not support http method '${context.method}'.`);
	}
	const user = bearerUser(context);
	if (!user) return UNAUTHORIZED;
	if (route.role && !hasRole(user, route.role)) {
		return context.missingRoleAs401 ? UNAUTHORIZED : forbidden(route.role);
	}
	if (route.json && !context.contentType.includes('application/json')) {
		const type = context.contentType || 'application/octet-stream';
		return message(
			415,
			`The request entity's media type '${type}' is not supported for this resource.`,
		);
	}
	const id = Number(route.pattern.exec(context.path)?.[1] ?? NaN);
	return route.handle(context, user.email, id);
}
