import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { assignmentLocator, optionsCollection } from '../common.descriptions';
import { readIdParameter, readPacing } from '../../helpers/parameters';
import { nexudusApiRequest } from '../../transport';

import { ENDPOINT } from './shared';

const properties: INodeProperties[] = [
	{
		...assignmentLocator,
		description:
			'The assignment to delete for good; to keep its history, use End Assignment instead',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworkerInventoryAsset'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const id = readIdParameter(this, 'coworkerInventoryAsset', 'Coworker Inventory Asset', itemIndex);
	await nexudusApiRequest.call(this, {
		method: 'DELETE',
		endpoint: `${ENDPOINT}/${id}`,
		role: 'CoworkerInventoryAsset-Delete',
		subject: `coworker inventory asset ${id}`,
		itemIndex,
		pacing: readPacing(this, itemIndex),
	});
	return this.helpers.constructExecutionMetaData(
		this.helpers.returnJsonArray({ deleted: true, Id: id }),
		{ itemData: { item: itemIndex } },
	);
}
