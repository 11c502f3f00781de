import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../common.descriptions';
import { readPacing } from '../../helpers/parameters';

import { coworkerLocatorWithCard, readCoworkerIdOrCard } from './accessCard';
import { fetchCoworker, simplifyCoworker } from './coworker';

const properties: INodeProperties[] = [
	coworkerLocatorWithCard(
		'The member to get; By Email finds the one coworker with that email, By Access Card the one with that card',
	),
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to output only the ID, name, email, company, type, location (InvoicingBusinessId) and Active instead of the whole Nexudus record',
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['coworker'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const id = await readCoworkerIdOrCard(this, itemIndex, pacing);
	const record = await fetchCoworker(this, id, itemIndex, pacing);
	const json: IDataObject = simplify ? simplifyCoworker(record) : record;
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
