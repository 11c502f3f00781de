import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventoryAsset'] } },
		options: [
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
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
