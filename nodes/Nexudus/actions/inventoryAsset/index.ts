import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, deleteOperation, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventoryAsset'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add an inventory asset to a location',
				action: 'Create an inventory asset',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an inventory asset for good',
				action: 'Delete an inventory asset',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one inventory asset',
				action: 'Get an inventory asset',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List inventory assets by location, name or SKU, or only the free ones',
				action: 'Get many inventory assets',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name, SKU, description, value or location of an inventory asset',
				action: 'Update an inventory asset',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteOperation.description,
];
