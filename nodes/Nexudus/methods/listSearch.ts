import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { nexudusListPage } from '../transport';

const PAGE_SIZE = 50;

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
	return await searchList(this, '/api/spaces/coworkers', 'Coworker-List', qs, 'FullName', paginationToken, (r) =>
		r.Email ? `${String(r.FullName)} (${String(r.Email)})` : String(r.FullName ?? r.Id),
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
	const path =
		this.getCurrentNodeParameter('operation') === 'update' ? 'updateFields.location' : 'location';
	const location = this.getCurrentNodeParameter(path, { extractValue: true });
	if (/^[1-9][0-9]*$/.test(String(location ?? ''))) qs.InventoryAsset_Business = Number(location);
	return await searchList(this, '/api/spaces/inventoryassets', 'InventoryAsset-List', qs, 'Name', paginationToken, (r) =>
		r.Sku ? `${String(r.Name)} (${String(r.Sku)})` : String(r.Name ?? r.Id),
	);
}

export async function searchCoworkerInventoryAssets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	// Newest first: the assignment a user looks for is usually a recent one.
	return await searchList(
		this,
		'/api/spaces/coworkerinventoryassets',
		'CoworkerInventoryAsset-List',
		text !== '' ? { CoworkerInventoryAsset_Coworker_FullName: text } : {},
		'Id',
		paginationToken,
		(r) => {
			const until = r.AssignedTo ? ` to ${String(r.AssignedTo).slice(0, 10)}` : ' (open)';
			return `${String(r.CoworkerFullName ?? r.CoworkerId)}: ${String(r.InventoryAssetName ?? r.InventoryAssetId)}, from ${String(r.AssignedFrom ?? '').slice(0, 10)}${until}`;
		},
		'Descending',
	);
}
