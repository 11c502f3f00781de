import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pickFields } from '../../helpers/simplify';
import { cached, runCache } from '../../helpers/runCache';
import { quoteForMessage } from '../../helpers/errors';
import type { PacingSettings } from '../../transport/pacing';
import { nexudusApiRequest, nexudusListAll } from '../../transport';

/*
 * The queries about coworkers (Nexudus's members): read one, find the ones with an email. An
 * HR system knows a member by email, never by Nexudus Id.
 */

export const COWORKERS_ENDPOINT = '/api/spaces/coworkers';

/** The fields a workflow uses, in output order. */
export const SIMPLIFIED_COWORKER_FIELDS = [
	'Id',
	'FullName',
	'Email',
	'CompanyName',
	'CoworkerType',
	'InvoicingBusinessId',
	'Active',
] as const;

export function simplifyCoworker(record: IDataObject): IDataObject {
	return pickFields(record, SIMPLIFIED_COWORKER_FIELDS);
}

export async function fetchCoworker(
	ctx: IExecuteFunctions,
	id: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	return (await nexudusApiRequest.call(ctx, {
		method: 'GET',
		endpoint: `${COWORKERS_ENDPOINT}/${id}`,
		role: 'Coworker-Read',
		subject: `coworker ${id}`,
		itemIndex,
		pacing,
	})) as IDataObject;
}

const folded = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

const emailsByRun = new WeakMap<object, Map<string, Promise<IDataObject[]>>>();

/**
 * The e-mail lookups are kept for the whole execution (n8n's flow context object, shared by its
 * nodes): a member that Find or Create made or found is known to a Create Assignment By Email
 * after it, with no request.
 */
function executionScope(ctx: IExecuteFunctions): object {
	try {
		const flow = ctx.getContext('flow') as unknown;
		if (typeof flow === 'object' && flow !== null) return flow;
	} catch {
		// A context without execution data: the node run is the scope.
	}
	return ctx;
}

/**
 * Every coworker whose email is exactly this one (case aside), ordered by Id. Nexudus's email
 * filter also matches parts of addresses, so the list is narrowed here. One request per distinct
 * email and run.
 */
export async function findCoworkersByEmail(
	ctx: IExecuteFunctions,
	email: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const wanted = folded(email);
	return await cached(
		runCache(emailsByRun, executionScope(ctx)),
		wanted,
		async () => await listCoworkersByEmail(ctx, wanted, itemIndex, pacing),
	);
}

/** Same as findCoworkersByEmail, always asked of Nexudus (the run's knowledge may be stale). */
export async function listCoworkersByEmail(
	ctx: IExecuteFunctions,
	email: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const wanted = folded(email);
	const records = await nexudusListAll.call(ctx, {
		endpoint: COWORKERS_ENDPOINT,
		qs: { Coworker_Email: wanted, orderBy: 'Id', dir: 'Ascending' },
		role: 'Coworker-List',
		itemIndex,
		pacing,
	});
	return records
		.filter((record) => folded(record.Email) === wanted)
		.sort((a, b) => Number(a.Id) - Number(b.Id));
}

/** The run learns a member it created or found: a later By Email of the run needs no request. */
export async function rememberCoworker(ctx: IExecuteFunctions, record: IDataObject): Promise<void> {
	const email = folded(record.Email);
	if (email === '') return;
	const cache = runCache(emailsByRun, executionScope(ctx));
	const known = await cache.get(email)?.catch(() => undefined);
	const others = (known ?? []).filter((other) => Number(other.Id) !== Number(record.Id));
	cache.set(
		email,
		Promise.resolve([...others, record].sort((a, b) => Number(a.Id) - Number(b.Id))),
	);
}

/** Nexudus writes the type as 1/2 or as its name: Individual or Company. */
export function coworkerTypeOf(record: IDataObject): 'Individual' | 'Company' {
	const type = record.CoworkerType;
	return type === 2 || type === '2' || (typeof type === 'string' && /^company$/i.test(type))
		? 'Company'
		: 'Individual';
}

/** Every coworker whose access card is exactly this one ("card returned" at the desk). */
export async function findCoworkersByAccessCard(
	ctx: IExecuteFunctions,
	card: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const wanted = card.trim();
	const records = await nexudusListAll.call(ctx, {
		endpoint: COWORKERS_ENDPOINT,
		qs: { Coworker_AccessCardId: wanted, orderBy: 'Id', dir: 'Ascending' },
		role: 'Coworker-List',
		itemIndex,
		pacing,
	});
	// The filter may also match parts of numbers; a list record without the field trusts it.
	return records.filter(
		(record) =>
			record.AccessCardId === undefined || String(record.AccessCardId as string).trim() === wanted,
	);
}

export const EMAIL = /^[^@\s]+@[^@\s]+$/;

export const described = (record: IDataObject) => {
	const details = [record.FullName, record.Active === false ? 'inactive' : undefined]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(', ');
	return details ? `${String(record.Id)} (${details})` : String(record.Id);
};

/**
 * The Id of the one coworker with this email. None, or several (Nexudus allows one profile per
 * location with the same email), fails the item with the matching Ids: the node never guesses.
 */
export async function coworkerIdByEmail(
	ctx: IExecuteFunctions,
	email: unknown,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const text = typeof email === 'string' ? email.trim() : '';
	if (!EMAIL.test(text)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid ${field}: ${email === undefined || text === '' ? 'the email is empty' : `${quoteForMessage(String(email))} is not an email address`}`,
			{
				description: `Nothing was sent. Give the member's email (for example jane@example.com), or pick the member From List.`,
				itemIndex,
			},
		);
	}
	const matches = await findCoworkersByEmail(ctx, text, itemIndex, pacing);
	if (matches.length === 1) return Number(matches[0].Id);
	if (matches.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field}: no coworker has the email ${quoteForMessage(text)}`,
			{
				description:
					'Nothing was sent. Check the email (the member must exist in Nexudus first), or pick the member From List.',
				itemIndex,
			},
		);
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`${field}: ${matches.length} coworkers have the email ${quoteForMessage(text)}: ${matches.map(described).join(', ')}`,
		{
			description: `Nothing was sent: the node does not guess. Give ${field} By ID (one of these Ids), or merge the profiles in Nexudus.`,
			itemIndex,
		},
	);
}
