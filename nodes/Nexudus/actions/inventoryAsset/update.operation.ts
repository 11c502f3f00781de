import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inventoryAssetLocator, locationLocator, optionsCollection } from '../common.descriptions';
import { invalidParameterError } from '../../helpers/errors';
import { readIdParameter, readPacing } from '../../helpers/parameters';
import { nexudusApiRequest } from '../../transport';
import { locationIdOf } from '../locators';

import { readAssetFields } from './fields';
import type { WritableInventoryAsset } from './inventoryAsset';
import {
	ASSET_FIELDS,
	INVENTORY_ASSETS_ENDPOINT,
	fetchInventoryAsset,
	writableInventoryAsset,
} from './inventoryAsset';

const properties: INodeProperties[] = [
	{ ...inventoryAssetLocator, description: 'The inventory asset to change' },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description:
			'The fields to change (at least one); every field left out keeps its current value',
		options: [
			...ASSET_FIELDS,
			{
				...locationLocator,
				required: false,
				description: 'Move the asset to another Nexudus location (business)',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Monitor Dell U2723QE 27" 07',
				description: 'New display name of the asset',
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inventoryAsset'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const id = readIdParameter(this, 'inventoryAsset', 'Inventory Asset', itemIndex);
	const given = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const changes: IDataObject = readAssetFields(this, 'updateFields', itemIndex);
	if ('name' in given) {
		const name = given.name;
		if ((typeof name !== 'string' && typeof name !== 'number') || String(name).trim() === '') {
			throw invalidParameterError(
				this.getNode(),
				'Name',
				name,
				'Name cannot be empty: give the new display name, or remove Name from Update Fields. Nothing was sent for this item.',
				itemIndex,
			);
		}
		changes.Name = String(name).trim();
	}
	if (Object.keys(changes).length === 0 && !('location' in given)) {
		throw invalidParameterError(
			this.getNode(),
			'Update Fields',
			given,
			'Nothing to update: add at least one field under Update Fields (Description, Location, Name, SKU or Value).',
			itemIndex,
		);
	}
	if ('location' in given) {
		changes.BusinessId = await locationIdOf(this, given.location, 'Location', itemIndex, pacing);
	}

	// Nexudus has no PATCH and clears what a PUT leaves out: read the whole record, merge, send it whole.
	const current = writableInventoryAsset(await fetchInventoryAsset(this, id, itemIndex, pacing));
	const merged: WritableInventoryAsset = { ...current, ...changes, Id: id };
	await nexudusApiRequest.call(this, {
		method: 'PUT',
		endpoint: INVENTORY_ASSETS_ENDPOINT,
		body: merged,
		role: 'InventoryAsset-Edit',
		subject: `inventory asset ${id}`,
		itemIndex,
		pacing,
	});
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray({ ...merged }), {
		itemData: { item: itemIndex },
	});
}
