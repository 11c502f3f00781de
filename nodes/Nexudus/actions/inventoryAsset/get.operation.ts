import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { inventoryAssetLocator, optionsCollection } from '../common.descriptions';
import { readIdParameter, readPacing } from '../../helpers/parameters';

import { fetchInventoryAsset, simplifyInventoryAsset, simplifyProperty } from './inventoryAsset';

const properties: INodeProperties[] = [
	{
		...inventoryAssetLocator,
		description: 'The desk, chair, monitor, locker or other inventory asset to get',
	},
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inventoryAsset'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(this, 'inventoryAsset', 'Inventory Asset', itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const record = await fetchInventoryAsset(this, id, itemIndex, readPacing(this, itemIndex));
	const json: IDataObject = simplify ? simplifyInventoryAsset(record) : record;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
