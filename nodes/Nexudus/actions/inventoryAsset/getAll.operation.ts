import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locationLocator, optionsCollection, returnAllAndLimit } from '../common.descriptions';
import { invalidParameterError } from '../../helpers/errors';
import {
	assertExpressionNotEmpty,
	readLimit,
	readPacing,
	toNexudusDate,
} from '../../helpers/parameters';
import { nexudusListAll } from '../../transport';
import { listAssignmentsOfLocation, overlaps } from '../coworkerInventoryAsset/shared';
import { locationIdOf } from '../locators';

import {
	INVENTORY_ASSETS_ENDPOINT,
	simplifyInventoryAsset,
	simplifyProperty,
} from './inventoryAsset';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Only return inventory assets that match every filter added here',
		options: [
			{
				displayName: 'Free At',
				name: 'freeAt',
				type: 'dateTime',
				default: '',
				placeholder: 'Empty means now',
				description:
					'With Only Free Assets: the date from which the asset must be free; empty means now',
				hint: 'ISO 8601, yyyy-MM-dd HH:mm, RFC 2822 or epoch; a time without an offset is in the workflow time zone',
			},
			{
				...locationLocator,
				name: 'location',
				required: false,
				description: 'Only assets of this location (BusinessId in the output)',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. monitor',
				default: '',
				description: 'Only assets whose name contains this text (case aside)',
			},
			{
				displayName: 'Only Free Assets',
				name: 'onlyFree',
				type: 'boolean',
				default: true,
				description:
					'Whether to return only assets that no assignment holds at Free At or later (an open-ended Create would not clash)',
			},
			{
				displayName: 'SKU',
				name: 'sku',
				type: 'string',
				placeholder: 'e.g. MAD-MON',
				default: '',
				description: 'Only assets whose SKU contains this text (case aside)',
			},
		],
	},
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inventoryAsset'], operation: ['getAll'] } },
	properties,
);

const TEXT_FILTERS: Array<[field: string, label: string, param: string]> = [
	['name', 'Name', 'InventoryAsset_Name'],
	['sku', 'SKU', 'InventoryAsset_Sku'],
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : readLimit(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const qs: IDataObject = { orderBy: 'Id', dir: 'Ascending' };
	for (const [field, label, param] of TEXT_FILTERS) {
		if (!(field in filters)) continue;
		assertExpressionNotEmpty(this, `filters.${field}`, label, filters[field], itemIndex, {
			means: 'no filter',
			expected: 'a text',
			onPurpose: `remove ${label} from Filters to list without it`,
		});
		const value = filters[field];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string' && typeof value !== 'number') {
			throw invalidParameterError(
				this.getNode(),
				label,
				value,
				`${label} must be a text.`,
				itemIndex,
			);
		}
		if (String(value).trim() !== '') qs[param] = String(value).trim();
	}
	if ('freeAt' in filters && filters.onlyFree !== true) {
		throw invalidParameterError(
			this.getNode(),
			'Free At',
			filters.freeAt,
			'Free At only applies with Only Free Assets: add Only Free Assets (on), or remove Free At from Filters.',
			itemIndex,
		);
	}
	const onlyFree = filters.onlyFree === true;
	let freeFrom: string | undefined;
	if (onlyFree) {
		assertExpressionNotEmpty(this, 'filters.freeAt', 'Free At', filters.freeAt, itemIndex, {
			means: 'now',
			expected: 'a date',
			onPurpose: 'remove Free At from Filters to mean now',
		});
		freeFrom =
			toNexudusDate(this, filters.freeAt, 'Free At', itemIndex, this.getTimezone()) ??
			new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
	}
	let businessId: number | undefined;
	if ('location' in filters) {
		const { value } = (filters.location ?? {}) as IDataObject;
		assertExpressionNotEmpty(this, 'filters.location', 'Location', value, itemIndex, {
			means: 'no filter',
			expected: 'a location',
			onPurpose: 'remove Location from Filters to list without it',
		});
		if (!(value === undefined || value === null || String(value).trim() === '')) {
			businessId = await locationIdOf(this, filters.location, 'Location', itemIndex, pacing);
			qs.InventoryAsset_Business = businessId;
		}
	}

	let keep: ((record: IDataObject) => boolean) | undefined;
	if (freeFrom !== undefined) {
		// One list of the assignments (of the location, when set) tells which assets are held.
		const assignments = await listAssignmentsOfLocation.call(this, businessId, itemIndex, pacing);
		const window = { AssignedFrom: freeFrom };
		const held = new Set(
			assignments
				.filter((record) => overlaps(record, window))
				.map((record) => Number(record.InventoryAssetId)),
		);
		keep = (record) => !held.has(Number(record.Id));
	}
	if (qs.InventoryAsset_Sku !== undefined) {
		// InventoryAsset_Sku is inferred: should Nexudus ignore it, the node still keeps only matches.
		const sku = String(qs.InventoryAsset_Sku).toLowerCase();
		const free = keep;
		keep = (record) =>
			String(record.Sku ?? '')
				.toLowerCase()
				.includes(sku) &&
			(free === undefined || free(record));
	}

	const records = await nexudusListAll.call(
		this,
		{ endpoint: INVENTORY_ASSETS_ENDPOINT, qs, role: 'InventoryAsset-List', itemIndex, pacing },
		limit,
		keep,
	);
	const json = simplify ? records.map(simplifyInventoryAsset) : records;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
