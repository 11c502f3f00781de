import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { nexudusListPage } from '../transport';
import { listLocationsForEditor, locationIdNamed } from '../actions/location/location';

const PAGE_SIZE = 50;

/**
 * Location names by Id, to tell apart records of different sites that share a name ("Locker
 * 01" at Madrid and at New York). An account that may not list locations gets "location 1001".
 */
function locationNames(locations: IDataObject[]): (id: unknown) => string {
	const names = new Map<string, string>();
	for (const record of locations) {
		if (typeof record.Name === 'string' && record.Name !== '')
			names.set(String(record.Id), record.Name);
	}
	return (id) => names.get(String(id)) ?? `location ${String(id)}`;
}

/** "Locker 01 (MAD-LCK-01)", or the name alone when the asset has no SKU. */
function assetLabel(name: unknown, sku: unknown, id: unknown): string {
	const shown = typeof name === 'string' && name !== '' ? name : `inventory asset ${String(id)}`;
	return typeof sku === 'string' && sku !== '' ? `${shown} (${sku})` : shown;
}

const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '');

async function searchList(
	ctx: ILoadOptionsFunctions,
	endpoint: string,
	role: string,
	qs: IDataObject,
	orderBy: string,
	paginationToken: string | undefined,
	label: (record: IDataObject) => string,
	dir: 'Ascending' | 'Descending' = 'Ascending',
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) > 0 ? Number(paginationToken) : 1;
	const answer = await nexudusListPage.call(
		ctx,
		{ endpoint, role, qs: { ...qs, orderBy, dir } },
		page,
		PAGE_SIZE,
	);
	return {
		results: (answer.Records ?? []).map((record) => ({
			name: label(record),
			value: String(record.Id),
		})),
		paginationToken: answer.HasNextPage ? String(page + 1) : undefined,
	};
}

export async function searchCoworkers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	const qs: IDataObject = {};
	if (text.includes('@')) qs.Coworker_Email = text;
	else if (text !== '') qs.Coworker_FullName = text;
	return await searchList(
		this,
		'/api/spaces/coworkers',
		'Coworker-List',
		qs,
		'FullName',
		paginationToken,
		(r) => (r.Email ? `${String(r.FullName)} (${String(r.Email)})` : String(r.FullName ?? r.Id)),
	);
}

export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	return await searchList(
		this,
		'/api/sys/businesses',
		'Business-List',
		text !== '' ? { Business_Name: text } : {},
		'Name',
		paginationToken,
		(r) => String(r.Name ?? r.Id),
	);
}

export async function searchInventoryAssets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	const qs: IDataObject = {};
	if (text !== '') qs.InventoryAsset_Name = text;
	// Narrow to the chosen location (Update keeps it under Update Fields); an expression or an
	// empty choice lists every asset.
	const operation = this.getCurrentNodeParameter('operation');
	const path =
		operation === 'update'
			? 'updateFields.location'
			: operation === 'getAll'
				? 'filters.locationId'
				: 'location';
	// The Inventory Asset resource picks the asset itself: its Location (Update) is where it goes.
	const narrowed = this.getCurrentNodeParameter('resource') !== 'inventoryAsset';
	const location = narrowed
		? this.getCurrentNodeParameter(path, { extractValue: true })
		: undefined;
	if (/^[1-9][0-9]*$/.test(String(location ?? ''))) {
		qs.InventoryAsset_Business = Number(location);
		return await searchList(
			this,
			'/api/spaces/inventoryassets',
			'InventoryAsset-List',
			qs,
			'Name',
			paginationToken,
			(r) => assetLabel(r.Name, r.Sku, r.Id),
		);
	}
	// One list of the locations: it resolves a location given By Name, else names each asset's site.
	const locations = await listLocationsForEditor(this);
	const namedId = typeof location === 'string' ? locationIdNamed(locations, location) : undefined;
	if (namedId !== undefined) {
		qs.InventoryAsset_Business = namedId;
		return await searchList(
			this,
			'/api/spaces/inventoryassets',
			'InventoryAsset-List',
			qs,
			'Name',
			paginationToken,
			(r) => assetLabel(r.Name, r.Sku, r.Id),
		);
	}
	const site = locationNames(locations);
	return await searchList(
		this,
		'/api/spaces/inventoryassets',
		'InventoryAsset-List',
		qs,
		'Name',
		paginationToken,
		(r) => `${assetLabel(r.Name, r.Sku, r.Id)} · ${site(r.BusinessId)}`,
	);
}

export async function searchCoworkerInventoryAssets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	const site = locationNames(await listLocationsForEditor(this));
	// Newest first: the assignment a user looks for is usually a recent one.
	return await searchList(
		this,
		'/api/spaces/coworkerinventoryassets',
		'CoworkerInventoryAsset-List',
		text !== '' ? { CoworkerInventoryAsset_Coworker_FullName: text } : {},
		'Id',
		paginationToken,
		// "Lucía Fernández: Locker 01 (MAD-LCK-01) · Madrid - Gran Vía · 2025-01-07 – open"
		(r) => {
			const dates = `${day(r.AssignedFrom)} – ${r.AssignedTo ? day(r.AssignedTo) : 'open'}`;
			const who = String(r.CoworkerFullName ?? `coworker ${String(r.CoworkerId)}`);
			return `${who}: ${assetLabel(r.InventoryAssetName, r.InventoryAssetSku, r.InventoryAssetId)} · ${site(r.BusinessId)} · ${dates}`;
		},
		'Descending',
	);
}

export async function searchTeams(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	return await searchList(
		this,
		'/api/spaces/teams',
		'Team-List',
		text === '' ? {} : { Team_Name: text },
		'Name',
		paginationToken,
		(r) => String(r.Name ?? r.Id),
	);
}
