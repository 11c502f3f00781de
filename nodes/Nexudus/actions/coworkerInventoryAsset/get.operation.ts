import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { assignmentLocator, optionsCollection } from '../common.descriptions';
import { readIdParameter, readPacing } from '../../helpers/parameters';
import { simplifyAssignment, simplifyProperty } from '../../helpers/simplify';

import { fetchAssignment } from './shared';

const properties: INodeProperties[] = [
	{
		...assignmentLocator,
		description: 'The assignment to get; By ID takes the Id that Create or Get Many output',
	},
	simplifyProperty,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(this, 'coworkerInventoryAsset', 'Coworker Inventory Asset', itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const record = await fetchAssignment.call(this, id, itemIndex, readPacing(this, itemIndex));
	const json: IDataObject = simplify ? simplifyAssignment(record) : record;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
