import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { cached, runCache } from '../../helpers/runCache';
import { quoteForMessage } from '../../helpers/errors';
import type { PacingSettings } from '../../transport/pacing';
import type { NexudusContext } from '../../transport';
import { MAX_PAGE_SIZE, nexudusApiRequest, nexudusListAll, nexudusListPage } from '../../transport';

/*
 * The queries about locations (Nexudus businesses): the node has no Location resource, but every
 * operation that takes a location can name it By Name.
 */

export const LOCATIONS_ENDPOINT = '/api/sys/businesses';

/** Candidates shown in an error: enough to spot the right spelling, short enough to read. */
const SHOWN_CANDIDATES = 10;

const locationsByRun = new WeakMap<object, Map<string, Promise<IDataObject[]>>>();

/**
 * Every location the user may list, read once per run: an account has a handful, so one list
 * request resolves every name of the run (the name filter of Nexudus matches parts of names).
 */
export async function listLocations(
	ctx: IExecuteFunctions,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	return await cached(
		runCache(locationsByRun, ctx),
		'all',
		async () => await queryLocations(ctx, 'Id', itemIndex, pacing),
	);
}

/** Every location the user may list, in one query (the trigger's "all locations" and pickers). */
export async function queryLocations(
	ctx: NexudusContext,
	orderBy: 'Id' | 'Name',
	itemIndex?: number,
	pacing?: PacingSettings,
): Promise<IDataObject[]> {
	return await nexudusListAll.call(ctx, {
		endpoint: LOCATIONS_ENDPOINT,
		qs: { orderBy, dir: 'Ascending' },
		role: 'Business-List',
		itemIndex,
		pacing,
	});
}

const folded = (value: unknown) =>
	typeof value === 'string' ? value.trim().replace(/\s+/g, ' ').toLocaleLowerCase() : '';

/**
 * For the editor's lists: the locations on one page of the largest size (one request), or none
 * when the user may not list them (the lists then work without).
 */
export async function listLocationsForEditor(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	try {
		const answer = await nexudusListPage.call(
			ctx,
			{
				endpoint: LOCATIONS_ENDPOINT,
				role: 'Business-List',
				qs: { orderBy: 'Id', dir: 'Ascending' },
			},
			1,
			MAX_PAGE_SIZE,
		);
		return answer.Records ?? [];
	} catch {
		return [];
	}
}

/** The Id of the only location with exactly this name (case and repeated spaces aside), if one. */
export function locationIdNamed(locations: IDataObject[], name: unknown): number | undefined {
	const wanted = folded(name);
	const matches = wanted === '' ? [] : locations.filter((record) => folded(record.Name) === wanted);
	return matches.length === 1 ? Number(matches[0].Id) : undefined;
}

const described = (record: IDataObject) => `${String(record.Name)} (${String(record.Id)})`;

/**
 * The Id of the location with exactly this name (case and repeated spaces aside). No match, or
 * several, fails the item with the candidates: the node never guesses a location.
 */
export async function locationIdByName(
	ctx: IExecuteFunctions,
	name: unknown,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const wanted = folded(name);
	if (wanted === '') {
		throw new NodeOperationError(ctx.getNode(), `Invalid ${field}: the location name is empty`, {
			description: `Nothing was sent. Write the location's name as Nexudus shows it (for example Madrid - Gran Vía), or pick it From List.`,
			itemIndex,
		});
	}
	const locations = await listLocations(ctx, itemIndex, pacing);
	const matches = locations.filter((record) => folded(record.Name) === wanted);
	if (matches.length === 1) return Number(matches[0].Id);
	const shown = quoteForMessage(String(name));
	if (matches.length > 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${field}: ${matches.length} locations are named ${shown}: ${matches.map(described).join(', ')}`,
			{
				description: `Nothing was sent: the node does not guess. Give ${field} By ID (one of these Ids), or rename one of the locations in Nexudus.`,
				itemIndex,
			},
		);
	}
	const similar = locations.filter(
		(record) => folded(record.Name).includes(wanted) || wanted.includes(folded(record.Name)),
	);
	const candidates = (similar.length > 0 ? similar : locations).slice(0, SHOWN_CANDIDATES);
	const more = (similar.length > 0 ? similar : locations).length - candidates.length;
	const list =
		candidates.length === 0
			? 'The user may not list any location.'
			: `${similar.length > 0 ? 'Similar names' : 'Locations'}: ${candidates.map(described).join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
	throw new NodeOperationError(ctx.getNode(), `${field}: no location is named ${shown}`, {
		description: `Nothing was sent. ${list} Write the name exactly as in Nexudus (case does not matter), or pick the location From List.`,
		itemIndex,
	});
}

const namesByRun = new WeakMap<object, Map<number, Promise<string>>>();

/**
 * The location's name for a message ("Madrid - Gran Vía"), or "location 1001" when it cannot be
 * read. Taken from the run's list when a name was already resolved, else one read per location.
 */
export async function locationName(
	ctx: IExecuteFunctions,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<string> {
	return await cached(runCache(namesByRun, ctx), businessId, async () => {
		const fallback = `location ${businessId}`;
		try {
			const listed = runCache(locationsByRun, ctx).get('all');
			const record = listed
				? (await listed).find((candidate) => Number(candidate.Id) === businessId)
				: ((await nexudusApiRequest.call(ctx, {
						method: 'GET',
						endpoint: `${LOCATIONS_ENDPOINT}/${businessId}`,
						role: 'Business-Read',
						subject: fallback,
						itemIndex,
						pacing,
					})) as IDataObject);
			const name = record?.Name;
			return typeof name === 'string' && name.trim() !== '' ? name.trim() : fallback;
		} catch {
			return fallback;
		}
	});
}

const recordsByRun = new WeakMap<object, Map<number, Promise<IDataObject>>>();

/**
 * The whole location record (GET; list records are partial): its CountryId and
 * SimpleTimeZoneId are a new member's defaults. Read once per location and run.
 */
export async function fetchLocation(
	ctx: IExecuteFunctions,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	return await cached(
		runCache(recordsByRun, ctx),
		businessId,
		async () =>
			(await nexudusApiRequest.call(ctx, {
				method: 'GET',
				endpoint: `${LOCATIONS_ENDPOINT}/${businessId}`,
				role: 'Business-Read',
				subject: `location ${businessId}`,
				itemIndex,
				pacing,
			})) as IDataObject,
	);
}
