import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { locationLocator, optionsCollection } from '../common.descriptions';
import { invalidParameterError } from '../../helpers/errors';
import { readPacing } from '../../helpers/parameters';
import { nexudusApiRequest } from '../../transport';
import { readLocationId } from '../locators';

import { ASSET_FIELDS, ASSIGN_TO_LOCATION, INVENTORY_ASSETS_ENDPOINT } from './inventoryAsset';
import { readAssetFields } from './fields';

const properties: INodeProperties[] = [
	{ ...locationLocator, description: 'The Nexudus location (business) the asset belongs to' },
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Monitor Dell U2723QE 27" 07',
		description: "Display name of the asset; an assignment's Create By Kind matches it",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: ASSET_FIELDS,
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['inventoryAsset'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const pacing = readPacing(this, itemIndex);
	const name = this.getNodeParameter('name', itemIndex, '') as unknown;
	if (typeof name !== 'string' && typeof name !== 'number') {
		throw invalidParameterError(
			this.getNode(),
			'Name',
			name,
			'Name must be a text. Nothing was sent for this item.',
			itemIndex,
		);
	}
	if (String(name).trim() === '') {
		throw invalidParameterError(
			this.getNode(),
			'Name',
			name,
			'Name is required: the display name of the asset, such as Monitor 07. Nothing was sent for this item.',
			itemIndex,
		);
	}
	const fields = readAssetFields(this, 'additionalFields', itemIndex);
	const body: IDataObject = {
		BusinessId: await readLocationId(this, 'location', 'Location', itemIndex, pacing),
		Name: String(name).trim(),
		// The asset belongs to the location itself (not to a resource or a floor-plan desk).
		AssignToType: ASSIGN_TO_LOCATION,
		...fields,
	};
	// A create is never resent by the transport: a lost answer fails the item with that warning.
	const response = (await nexudusApiRequest.call(this, {
		method: 'POST',
		endpoint: INVENTORY_ASSETS_ENDPOINT,
		body,
		role: 'InventoryAsset-Create',
		itemIndex,
		pacing,
	})) as IDataObject;
	const value = (response.Value ?? {}) as IDataObject;
	const json: IDataObject = {
		Id: value.Id,
		BusinessId: body.BusinessId,
		Name: body.Name,
		Sku: body.Sku ?? null,
		Description: body.Description ?? null,
		Value: body.Value ?? null,
	};
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), {
		itemData: { item: itemIndex },
	});
}
