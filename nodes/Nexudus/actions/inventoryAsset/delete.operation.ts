import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inventoryAssetLocator, optionsCollection } from '../common.descriptions';
import { readIdParameter, readPacing } from '../../helpers/parameters';
import { nexudusApiRequest } from '../../transport';

import { INVENTORY_ASSETS_ENDPOINT } from './inventoryAsset';

const properties: INodeProperties[] = [
	{ ...inventoryAssetLocator, description: 'The inventory asset to delete for good' },
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inventoryAsset'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(this, 'inventoryAsset', 'Inventory Asset', itemIndex);
	await nexudusApiRequest.call(this, {
		method: 'DELETE',
		endpoint: `${INVENTORY_ASSETS_ENDPOINT}/${id}`,
		role: 'InventoryAsset-Delete',
		subject: `inventory asset ${id}`,
		itemIndex,
		pacing: readPacing(this, itemIndex),
	});
	return this.helpers.constructExecutionMetaData(
		this.helpers.returnJsonArray({ deleted: true, Id: id }),
		{ itemData: { item: itemIndex } },
	);
}
