import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { pickFields } from '../../helpers/simplify';
import type { PacingSettings } from '../../transport/pacing';
import { nexudusApiRequest, nexudusListAll } from '../../transport';
import { cached, runCache } from '../../helpers/runCache';
import { locationName } from '../location/location';

/*
 * The inventory asset and location an assignment names: read once per run, so that a create or
 * an update whose asset is at another location fails before anything is sent, with an error
 * that names both sites.
 */

/** What the check needs of an asset; `null` when Nexudus has no such asset, `undefined` when the user may not read assets. */
interface AssetSite {
	id: number;
	name?: string;
	businessId: number;
}

/** One cache per node run (n8n gives every run its own context object); entries are promises, so concurrent items share a request. */
const assetsByRun = new WeakMap<object, Map<number, Promise<AssetSite | null | undefined>>>();

function httpCode(error: unknown): string | undefined {
	return error instanceof NodeApiError ? (error.httpCode ?? undefined) : undefined;
}

const text = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

async function readAsset(
	ctx: IExecuteFunctions,
	id: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<AssetSite | null | undefined> {
	const outcome = await fetchInventoryAsset(ctx, id, itemIndex, pacing).then(
		(record) => ({ record }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) {
		// Without the InventoryAsset-Read role the check cannot be made: Nexudus still checks
		// the pair when the assignment is written.
		if (httpCode(outcome.error) === '403') return undefined;
		if (httpCode(outcome.error) === '404') return null;
		throw outcome.error;
	}
	const record = outcome.record;
	const businessId = Number(record.BusinessId);
	if (!Number.isSafeInteger(businessId) || businessId <= 0) return undefined;
	return { id, name: text(record.Name), businessId };
}

/**
 * Fails the item, before anything is sent, when the inventory asset is not at the location.
 * One GET per distinct asset per run; the locations' names are read only for the error.
 */
export async function assertAssetAtLocation(
	ctx: IExecuteFunctions,
	assetId: number,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<void> {
	const outcome = await cached(
		runCache(assetsByRun, ctx),
		assetId,
		async () => await readAsset(ctx, assetId, itemIndex, pacing),
	).then(
		(asset) => ({ asset }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) throw outcome.error;
	const asset = outcome.asset;
	if (asset === null) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Inventory Asset ${assetId} does not exist in Nexudus`,
			{
				description:
					'Nothing was sent. Pick an asset of the chosen location in Inventory Asset, or check the Id given By ID (the asset may have been deleted).',
				itemIndex,
			},
		);
	}
	if (asset === undefined || asset.businessId === businessId) return;
	const [assetSite, chosenSite] = await Promise.all([
		locationName(ctx, asset.businessId, itemIndex, pacing),
		locationName(ctx, businessId, itemIndex, pacing),
	]);
	const named = asset.name ? ` (${asset.name})` : '';
	throw new NodeOperationError(
		ctx.getNode(),
		`Inventory Asset ${assetId}${named} is at ${assetSite}, not at ${chosenSite}`,
		{
			description: `Nothing was sent. Pick an asset of ${chosenSite} in Inventory Asset (with Location set, the list shows only that location's assets), or change Location to ${assetSite}.`,
			itemIndex,
		},
	);
}

export const INVENTORY_ASSETS_ENDPOINT = '/api/spaces/inventoryassets';

/** The fields a workflow uses, in output order (IsFree is added by Get Many's free filter). */
export const SIMPLIFIED_INVENTORY_ASSET_FIELDS = [
	'Id',
	'Name',
	'Sku',
	'BusinessId',
	'BusinessName',
	'Value',
	'Description',
] as const;

export function simplifyInventoryAsset(record: IDataObject): IDataObject {
	return pickFields(record, SIMPLIFIED_INVENTORY_ASSET_FIELDS);
}

export async function fetchInventoryAsset(
	ctx: IExecuteFunctions,
	id: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject> {
	return (await nexudusApiRequest.call(ctx, {
		method: 'GET',
		endpoint: `${INVENTORY_ASSETS_ENDPOINT}/${id}`,
		role: 'InventoryAsset-Read',
		subject: `inventory asset ${id}`,
		itemIndex,
		pacing,
	})) as IDataObject;
}

/** The location's assets, lowest Id first (one request up to 1000 assets). */
export async function listInventoryAssetsOfLocation(
	ctx: IExecuteFunctions,
	businessId: number,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<IDataObject[]> {
	const assets = await nexudusListAll.call(ctx, {
		endpoint: INVENTORY_ASSETS_ENDPOINT,
		qs: { InventoryAsset_Business: businessId, orderBy: 'Id', dir: 'Ascending' },
		role: 'InventoryAsset-List',
		itemIndex,
		pacing,
	});
	return assets.sort((a, b) => Number(a.Id) - Number(b.Id));
}

const folded = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** Whether the asset's name or SKU contains the pattern, case aside ("monitor", "MAD-MON"). */
export function matchesPattern(asset: IDataObject, pattern: string): boolean {
	const wanted = folded(pattern);
	return (
		wanted !== '' && (folded(asset.Name).includes(wanted) || folded(asset.Sku).includes(wanted))
	);
}

/** "Monitor 03 (MAD-MON-03)", or the name alone when the asset has no SKU. */
export function assetLabel(asset: IDataObject): string {
	const name = text(asset.Name) ?? `inventory asset ${String(asset.Id)}`;
	const sku = text(asset.Sku);
	return sku ? `${name} (${sku})` : name;
}

/** The Simplify switch of the Inventory Asset operations. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to output only the ID, name, SKU, location, value and description instead of the whole Nexudus record',
};

/** Location (1) in Nexudus's eInventoryAssetAssignToType: the asset belongs to the location itself. */
export const ASSIGN_TO_LOCATION = 1;

/** What a PUT sends: Nexudus clears any field left out, so always all of them. */
export interface WritableInventoryAsset extends IDataObject {
	Id: number;
	BusinessId: number;
	Name: string;
	Sku: string | null;
	Description: string | null;
	Value: number | null;
	AssignToType: number | null;
	ResourceId: number | null;
	FloorPlanDeskId: number | null;
}

/** The writable fields of a whole record read with GET (read-only ones such as BusinessName are left out). */
export function writableInventoryAsset(record: IDataObject): WritableInventoryAsset {
	const orNull = <T>(value: unknown, cast: (value: unknown) => T): T | null =>
		value === undefined || value === null ? null : cast(value);
	return {
		Id: Number(record.Id),
		BusinessId: Number(record.BusinessId),
		Name: String(record.Name ?? ''),
		Sku: orNull(record.Sku, String),
		Description: orNull(record.Description, String),
		Value: orNull(record.Value, Number),
		AssignToType: orNull(record.AssignToType, Number),
		ResourceId: orNull(record.ResourceId, Number),
		FloorPlanDeskId: orNull(record.FloorPlanDeskId, Number),
	};
}

/** The optional text and number fields of Create and Update, in Nexudus's words. */
export const ASSET_FIELDS: INodeProperties[] = [
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		description: 'Free-text description of the asset',
	},
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '',
		placeholder: 'e.g. MAD-MON-07',
		description: "Stock-keeping unit code; an assignment's Create By Kind matches it too",
	},
	{
		displayName: 'Value',
		name: 'value',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description: 'Monetary value of the asset, in the location currency',
	},
];
